/** Scenarios over Socket.IO connections: run once per client transport on each server. */
import type { Peer } from "../support/peer.js";
import { bin, normalize, usesPolling, type Case, type Ctx, type Transports } from "../support/harness.js";

function bytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

const SMALL = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const LARGE = bytes(200 * 1024, 7);
const TOO_LARGE = bytes(540 * 1024, 3);
const TYPED = new Uint8Array([1, 2, 3]);

function sha256Of(data: Uint8Array): string {
  return bin(data).sha256;
}

async function statusNumbers(ctx: Ctx): Promise<Record<string, string>> {
  const { body } = await ctx.http("GET", "/");
  const out: Record<string, string> = {};
  for (const m of body.matchAll(/<span id="(\w+)">(\d+)<\/span>/g)) if (m[1] !== "uptime") out[m[1]!] = m[2]!;
  return out;
}

/**
 * The reason a client gives when the server shuts down. Over WebSocket it is always
 * "transport close". Over HTTP long-polling it depends on timing, with socket.io as with
 * omnio: the pending poll gets the close packet ("transport close"), or the next request
 * finds the server gone ("transport error"). Either means "the server went away".
 */
function shutdownReason(ctx: Ctx, [reason]: unknown[]): string {
  if (usesPolling(ctx.transports) && (reason === "transport close" || reason === "transport error")) {
    return "transport close or error";
  }
  return String(reason);
}

export const SOCKET_CASES: Case[] = [
  {
    name: "auth middleware: good token connects, bad or missing token is refused with err.data",
    async run(ctx) {
      const alice = ctx.peer("alice", "/", "alice-token");
      const mallory = ctx.peer("mallory", "/", "stolen-token");
      const anonymous = ctx.peer("anonymous", "/", undefined);
      const malloryChat = ctx.peer("mallory", "/chat", "stolen-token");
      const bobChat = ctx.peer("bob", "/chat", "bob-token");
      return {
        alice: await alice.outcome,
        mallory: await mallory.outcome,
        anonymous: await anonymous.outcome,
        malloryChat: await malloryChat.outcome,
        bobChat: await bobChat.outcome,
        malloryAfter: { connected: mallory.socket.connected, active: mallory.socket.active },
        aliceWhoami: await alice.emitWithAck("whoami"),
        bobWhoami: await bobChat.emitWithAck("whoami"),
        unexpected: await ctx.settle(),
      };
    },
    expected: {
      alice: { connected: true },
      mallory: {
        connected: false,
        message: "invalid token",
        data: { code: "INVALID_TOKEN", hint: "ask an admin for a new token" },
      },
      anonymous: {
        connected: false,
        message: "authentication required",
        data: { code: "NO_TOKEN", hint: "connect with io(url, { auth: { token } })" },
      },
      malloryChat: {
        connected: false,
        message: "invalid token",
        data: { code: "INVALID_TOKEN", hint: "ask an admin for a new token" },
      },
      bobChat: { connected: true },
      malloryAfter: { connected: false, active: false },
      aliceWhoami: { id: "u1", name: "alice", admin: true },
      bobWhoami: { name: "bob", rooms: [] },
      unexpected: {},
    },
  },
  {
    name: "rooms: join/leave, socket.to(room).emit, typing indicator",
    async run(ctx) {
      const [alice, bob, carol] = (await ctx.connectAll("/chat", ["alice", "bob", "carol"])) as [Peer, Peer, Peer];
      const t: Record<string, unknown> = {};
      t.aliceJoins = await alice.emitWithAck("join", "lobby");
      t.bobJoins = await bob.emitWithAck("join", "lobby");
      t.aliceSeesBob = await alice.take("user joined");
      t.carolJoins = await carol.emitWithAck("join", "random");
      t.badRoom = await carol.emitWithAck("join", "Not A Room!");
      t.send = await alice.emitWithAck("message", { room: "lobby", text: "hello" });
      t.bobGets = await bob.take("message");
      t.carolOutside = await carol.emitWithAck("message", { room: "lobby", text: "hi?" });
      bob.emit("typing", "lobby", true);
      t.typingOn = await alice.take("typing");
      bob.emit("typing", "lobby", false);
      t.typingOff = await alice.take("typing");
      t.bobRooms = await bob.emitWithAck("whoami");
      t.bobLeaves = await bob.emitWithAck("leave", "lobby");
      t.aliceSeesLeave = await alice.take("user left");
      t.bobLeavesAgain = await bob.emitWithAck("leave", "lobby");
      t.sendToNobody = await alice.emitWithAck("message", { room: "lobby", text: "anyone?" });
      t.unexpected = await ctx.settle();
      return t;
    },
    expected: {
      aliceJoins: { room: "lobby", members: ["alice"] },
      bobJoins: { room: "lobby", members: ["alice", "bob"] },
      aliceSeesBob: [{ room: "lobby", user: "bob" }],
      carolJoins: { room: "random", members: ["carol"] },
      badRoom: { error: "invalid room name" },
      send: { ok: true, id: 1 },
      bobGets: [{ id: 1, room: "lobby", from: "alice", text: "hello", at: "<time>" }],
      carolOutside: { error: "not in room" },
      typingOn: [{ room: "lobby", user: "bob", typing: true }],
      typingOff: [{ room: "lobby", user: "bob", typing: false }],
      bobRooms: { name: "bob", rooms: ["lobby"] },
      bobLeaves: { room: "lobby", left: true },
      aliceSeesLeave: [{ room: "lobby", user: "bob", reason: "left" }],
      bobLeavesAgain: { error: "not in room" },
      sendToNobody: { ok: true, id: 2 },
      unexpected: {},
    },
  },
  {
    name: "acks: emitWithAck client to server and server to client, with timeouts",
    async run(ctx) {
      const [alice, bob] = (await ctx.connectAll("/chat", ["alice", "bob"])) as [Peer, Peer];
      await alice.emitWithAck("join", "lobby");
      await bob.emitWithAck("join", "lobby");
      await alice.take("user joined");
      bob.answer("nudge", (p) => `hi ${(p as { from: string }).from}`);
      const t: Record<string, unknown> = {};
      t.nudgeBob = await alice.emitWithAck("nudge", { room: "lobby", user: "bob" });
      t.bobNudged = await bob.take("nudge");
      t.nudgeAlice = await bob.emitWithAck("nudge", { room: "lobby", user: "alice" }); // alice never answers
      t.aliceNudged = await alice.take("nudge");
      t.nudgeGhost = await alice.emitWithAck("nudge", { room: "lobby", user: "dave" });
      t.nudgeOutside = await alice.emitWithAck("nudge", { room: "random", user: "bob" });
      t.malformed = await alice.emitWithAck("message", null);
      alice.emit("join", "no-ack"); // no callback: nothing comes back, nothing breaks
      t.aliceRooms = await alice.emitWithAck("whoami");
      t.unknownEvent = await alice.socket
        .timeout(200)
        .emitWithAck("no such event")
        .then(
          () => "acked",
          (err: Error) => err.message,
        );
      t.unexpected = await ctx.settle();
      return t;
    },
    expected: {
      nudgeBob: { reply: "hi alice" },
      bobNudged: [{ room: "lobby", from: "alice" }],
      nudgeAlice: { error: "operation has timed out" },
      aliceNudged: [{ room: "lobby", from: "bob" }],
      nudgeGhost: { error: "no such user" },
      nudgeOutside: { error: "not in room" },
      malformed: { error: "bad request" },
      aliceRooms: { name: "alice", rooms: ["lobby"] },
      unknownEvent: "operation has timed out",
      unexpected: {},
    },
  },
  {
    name: "broadcast acks: io.timeout().emit and socket.to(room).timeout().emitWithAck",
    async run(ctx) {
      const main = (await ctx.connectAll("/", ["alice", "bob", "carol"])) as [Peer, Peer, Peer];
      for (const p of main) p.answer("rollcall", () => p.label);
      const t: Record<string, unknown> = {};
      t.rollcall = await main[0].emitWithAck("rollcall");
      t.rollcallSeen = await Promise.all(main.map((p) => p.take("rollcall")));
      main[2].ignore("rollcall");
      t.rollcallPartial = await main[0].emitWithAck("rollcall");
      t.rollcallPartialSeen = await Promise.all(main.map((p) => p.take("rollcall")));

      const [alice, bob, carol] = (await ctx.connectAll("/chat", ["alice", "bob", "carol"])) as [Peer, Peer, Peer];
      await alice.emitWithAck("join", "lobby");
      await bob.emitWithAck("join", "lobby");
      await alice.take("user joined");
      await carol.emitWithAck("join", "lobby");
      await alice.take("user joined");
      await bob.take("user joined");
      for (const p of [alice, bob, carol]) p.answer("poll", () => `${p.label}: yes`);
      t.poll = await alice.emitWithAck("poll", { room: "lobby", question: "lunch?" });
      t.pollSeen = [await bob.take("poll"), await carol.take("poll")];
      carol.ignore("poll");
      t.pollPartial = await alice.emitWithAck("poll", { room: "lobby", question: "dinner?" });
      t.pollPartialSeen = [await bob.take("poll"), await carol.take("poll")];
      await alice.emitWithAck("join", "solo");
      t.pollAlone = await alice.emitWithAck("poll", { room: "solo", question: "anyone?" });
      t.unexpected = await ctx.settle();
      return t;
    },
    expected: {
      rollcall: { complete: true, answers: ["alice", "bob", "carol"] },
      rollcallSeen: [[{ from: "alice" }], [{ from: "alice" }], [{ from: "alice" }]],
      rollcallPartial: { complete: false, answers: ["alice", "bob"] },
      rollcallPartialSeen: [[{ from: "alice" }], [{ from: "alice" }], [{ from: "alice" }]],
      poll: { answers: ["bob: yes", "carol: yes"] },
      pollSeen: [
        [{ room: "lobby", from: "alice", question: "lunch?" }],
        [{ room: "lobby", from: "alice", question: "lunch?" }],
      ],
      pollPartial: { error: "operation has timed out" },
      pollPartialSeen: [
        [{ room: "lobby", from: "alice", question: "dinner?" }],
        [{ room: "lobby", from: "alice", question: "dinner?" }],
      ],
      pollAlone: { answers: [] },
      unexpected: {},
    },
  },
  {
    name: "binary: an uploaded Buffer comes back in the ack",
    async run(ctx) {
      const [alice] = (await ctx.connectAll("/", ["alice"])) as [Peer];
      return {
        small: await alice.emitWithAck("upload", { name: "bytes.bin", data: SMALL }),
        large: await alice.emitWithAck("upload", { name: "large.bin", data: LARGE }),
        typed: await alice.emitWithAck("upload", { name: "typed.bin", data: TYPED }),
        notBinary: await alice.emitWithAck("upload", { name: "text.txt", data: "hello" }),
        tooLarge: await alice.emitWithAck("upload", { name: "huge.bin", data: TOO_LARGE }),
        stillConnected: alice.socket.connected,
        unexpected: await ctx.settle(),
      };
    },
    expected: normalize({
      small: { name: "bytes.bin", size: 256, sha256: sha256Of(SMALL), data: SMALL },
      large: { name: "large.bin", size: LARGE.length, sha256: sha256Of(LARGE), data: LARGE },
      typed: { name: "typed.bin", size: 3, sha256: sha256Of(TYPED), data: Buffer.from(TYPED) },
      notBinary: { error: "expected { name, data: <binary> }" },
      tooLarge: { error: "file too large" },
      stillConnected: true,
      unexpected: {},
    }),
  },
  {
    name: "fetchSockets and socket.data, seen through the app and its status page",
    async run(ctx) {
      const main = (await ctx.connectAll("/", ["alice", "bob"])) as [Peer, Peer];
      const t: Record<string, unknown> = {};
      t.refused = await ctx.peer("mallory", "/", "stolen-token").outcome;
      t.online = await main[0].emitWithAck("online");
      const [alice, bob, carol] = (await ctx.connectAll("/chat", ["alice", "bob", "carol"])) as [Peer, Peer, Peer];
      await alice.emitWithAck("join", "lobby");
      await bob.emitWithAck("join", "lobby");
      await alice.take("user joined");
      await carol.emitWithAck("join", "random");
      t.lobby = await carol.emitWithAck("members", "lobby");
      t.random = await alice.emitWithAck("members", "random");
      t.nowhere = await alice.emitWithAck("members", "nowhere");
      main[1].close();
      t.bobReason = await main[1].take("disconnect");
      await ctx.until("bob's main socket is gone", async () => {
        const online = (await main[0].emitWithAck("online")) as string[];
        return online.length === 1;
      });
      t.onlineAfter = await main[0].emitWithAck("online");
      // The refused client closes its connection on its own; wait for the server to see it.
      await ctx.until("4 connections", async () => (await statusNumbers(ctx))["connections"] === "4");
      t.status = await statusNumbers(ctx);
      const page = await ctx.http("GET", "/");
      t.rooms = [...page.body.matchAll(/<tr><td>([^<]*)<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]);
      t.unexpected = await ctx.settle();
      return t;
    },
    expected: {
      refused: {
        connected: false,
        message: "invalid token",
        data: { code: "INVALID_TOKEN", hint: "ask an admin for a new token" },
      },
      online: ["alice", "bob"],
      lobby: { room: "lobby", members: ["alice", "bob"] },
      random: { room: "random", members: ["carol"] },
      nowhere: { room: "nowhere", members: [] },
      bobReason: ["io client disconnect"],
      onlineAfter: ["alice"],
      status: { connections: "4", main: "1", chat: "3" },
      rooms: [
        ["lobby", "2"],
        ["random", "1"],
      ],
      unexpected: {},
    },
  },
  {
    name: "disconnect: disconnecting lists the rooms, kick, server shutdown",
    async run(ctx) {
      const [alice, bob, carol] = (await ctx.connectAll("/chat", ["alice", "bob", "carol"])) as [Peer, Peer, Peer];
      const [dave] = (await ctx.connectAll("/", ["bob"])) as [Peer];
      await alice.emitWithAck("join", "lobby");
      await bob.emitWithAck("join", "lobby");
      await alice.take("user joined");
      await bob.emitWithAck("join", "random");
      await carol.emitWithAck("join", "random");
      await bob.take("user joined");
      const t: Record<string, unknown> = {};
      bob.close();
      t.bobReason = await bob.take("disconnect");
      t.aliceSees = await alice.take("user left");
      t.carolSees = await carol.take("user left");
      t.carolKicks = await carol.emitWithAck("kick", { room: "lobby", user: "alice" });
      t.aliceKicks = await alice.emitWithAck("kick", { room: "random", user: "carol" });
      t.carolReason = await carol.take("disconnect");
      t.unexpected = await ctx.settle();
      await ctx.closeApp();
      t.aliceOnShutdown = shutdownReason(ctx, await alice.take("disconnect"));
      t.mainOnShutdown = shutdownReason(ctx, await dave.take("disconnect"));
      t.afterShutdown = { alice: alice.pending(), main: dave.pending() };
      return t;
    },
    expected: (transports: Transports | undefined) => ({
      bobReason: ["io client disconnect"],
      aliceSees: [{ room: "lobby", user: "bob", reason: "client namespace disconnect" }],
      carolSees: [{ room: "random", user: "bob", reason: "client namespace disconnect" }],
      carolKicks: { error: "forbidden" },
      aliceKicks: { kicked: 1 },
      carolReason: ["io server disconnect"],
      unexpected: {},
      aliceOnShutdown: usesPolling(transports) ? "transport close or error" : "transport close",
      mainOnShutdown: usesPolling(transports) ? "transport close or error" : "transport close",
      afterShutdown: { alice: [], main: [] },
    }),
  },
];
