/**
 * The chat server over the wire, with the official socket.io-client 4.8.4 and the omnio Node
 * client as chat clients: identification, rooms, fan-out to the room only, typing, binary files
 * with the size limit, history bounds, validation and rate limits.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { start, type ChatServer } from "@omnio/example-chat";
import { CLIENT_KINDS, bytes, connect, received, until, type ChatClient } from "./clients.js";

type Client = Awaited<ReturnType<typeof connect>>;

async function withChat(
  limits: Parameters<typeof start>[0] extends infer O ? (O extends { limits?: infer L } ? L : never) : never,
  run: (chat: ChatServer, clients: Client[]) => Promise<void>,
): Promise<void> {
  const chat = await start({ port: 0, host: "127.0.0.1", limits });
  const clients: Client[] = [];
  try {
    await run(chat, clients);
  } finally {
    for (const c of clients) c.disconnect();
    await chat.close();
  }
}

async function member(client: ChatClient, nickname: string, room: string): Promise<any> {
  const hello = await client.emitWithAck("hello", nickname);
  assert.equal(hello.ok, true, JSON.stringify(hello));
  const joined = await client.emitWithAck("join", room);
  assert.equal(joined.ok, true, JSON.stringify(joined));
  return joined;
}

for (const kind of CLIENT_KINDS) {
  describe(`chat protocol with ${kind}`, () => {
    for (const transports of [["websocket"], ["polling"]] as const) {
      test(`[${transports[0]}] messages, typing and files reach the room and only the room`, async () => {
        await withChat({ maxFileBytes: 64 * 1024 }, async (chat, clients) => {
          const [alice, bob, carol] = await Promise.all([0, 1, 2].map(() => connect(kind, chat.url, [...transports])));
          clients.push(alice!, bob!, carol!);
          const hello = await alice!.emitWithAck("hello", "  alice ");
          assert.equal(hello.nickname, "alice", "trimmed");
          assert.deepEqual(hello.limits.maxFileBytes, 64 * 1024);
          assert.deepEqual(hello.rooms, [{ name: "general", members: 0 }]);
          const aliceJoin = await alice!.emitWithAck("join", "general");
          assert.deepEqual(aliceJoin.members, [{ id: alice!.id, nickname: "alice" }]);
          assert.deepEqual(aliceJoin.history, []);
          const bobJoin = await member(bob!, "bob", "general");
          assert.deepEqual(
            bobJoin.members.map((m: { nickname: string }) => m.nickname),
            ["alice", "bob"],
          );
          await member(carol!, "carol", "Games");
          await until("alice sees bob in the member list", () =>
            received(alice!, "members").some((m) => m.room === "general" && m.members.length === 2),
          );
          await until("everyone sees two rooms", () =>
            [alice, bob, carol].every((c) =>
              received(c!, "rooms").some(
                (r) =>
                  JSON.stringify(r) ===
                  JSON.stringify([
                    { name: "general", members: 2 },
                    { name: "Games", members: 1 },
                  ]),
              ),
            ),
          );

          // Text: both members of general receive it (the sender too); carol does not.
          const sent = await alice!.emitWithAck("message", "hello <b>bob</b>");
          assert.equal(sent.ok, true);
          await until("bob gets the message", () => received(bob!, "message").length === 1);
          const [message] = received(bob!, "message");
          assert.equal(message.id, sent.id);
          assert.equal(message.from, "alice");
          assert.equal(message.room, "general");
          assert.equal(message.text, "hello <b>bob</b>", "text is kept as text; the page renders it safely");
          await until("alice gets her own message", () => received(alice!, "message").length === 1);

          // Typing: bob sees alice typing; alice does not see herself; carol sees nothing.
          alice!.emit("typing", true);
          await until("bob sees alice typing", () => received(bob!, "typing").length === 1);
          assert.deepEqual(received(bob!, "typing")[0], {
            room: "general",
            id: alice!.id,
            nickname: "alice",
            typing: true,
          });
          alice!.emit("typing", false);
          await until("bob sees alice stop", () => received(bob!, "typing").length === 2);
          assert.equal(received(bob!, "typing")[1].typing, false);

          // A file travels as binary both ways.
          const image = Buffer.alloc(40 * 1024, 7);
          image.write("\x89PNG", 0, "latin1");
          const shared = await bob!.emitWithAck("file", { name: "../../cat.png", type: "image/png", data: image });
          assert.equal(shared.ok, true, JSON.stringify(shared));
          await until("alice gets the file", () => received(alice!, "message").length === 2);
          const file = received(alice!, "message")[1];
          assert.equal(file.kind, "file");
          assert.equal(file.from, "bob");
          assert.equal(file.file.name, "cat.png", "only the last path segment");
          assert.equal(file.file.type, "image/png");
          assert.equal(file.file.size, image.length);
          assert.ok(bytes(file.file.data).equals(image), "same bytes");

          // Over the limit: a clear typed error, nothing is broadcast, the connection stays.
          const tooBig = await bob!.emitWithAck("file", {
            name: "big.bin",
            type: "",
            data: new Uint8Array(64 * 1024 + 1),
          });
          assert.deepEqual(tooBig, {
            ok: false,
            error: { code: "FILE_TOO_LARGE", message: "Files are limited to 64 KiB." },
          });

          // carol, in another room, got none of it; her own room still works.
          const marker = await carol!.emitWithAck("message", "anyone?");
          assert.equal(marker.ok, true);
          await until("carol gets her message", () => received(carol!, "message").length === 1);
          assert.equal(received(carol!, "message")[0].text, "anyone?");
          assert.equal(received(carol!, "typing").length, 0);
          assert.equal(received(alice!, "message").length, 2, "alice got nothing from Games");

          // A late joiner gets the history, the file's bytes included.
          const dave = await connect(kind, chat.url, [...transports]);
          clients.push(dave);
          const daveJoin = await member(dave, "dave", "GENERAL");
          assert.equal(daveJoin.room, "general", "room names compare without case");
          assert.deepEqual(
            daveJoin.history.map((m: { kind: string }) => m.kind),
            ["text", "file"],
          );
          assert.ok(bytes(daveJoin.history[1].file.data).equals(image));

          // Leaving: bob leaves, alice's member list shrinks, bob no longer receives general.
          assert.deepEqual(await bob!.emitWithAck("leave"), { ok: true });
          await until("alice sees bob leave", () => {
            const lists = received(alice!, "members");
            return lists.at(-1)?.members.length === 2; // alice and dave
          });
          await alice!.emitWithAck("message", "bye bob");
          await until("dave gets it", () => received(dave, "message").some((m) => m.text === "bye bob"));
          assert.equal(received(bob!, "message").filter((m) => m.text === "bye bob").length, 0);
          assert.equal(chat.rooms.members("general").length, 2);
        });
      });
    }

    test("invalid input gets typed errors and never a crash", async () => {
      await withChat({ maxFileBytes: 1024 }, async (chat, clients) => {
        const c = await connect(kind, chat.url);
        clients.push(c);
        const code = async (event: string, ...args: unknown[]): Promise<string> => {
          const reply = await c.emitWithAck(event, ...args);
          assert.equal(reply.ok, false, `${event} ${JSON.stringify(args)} should be refused`);
          assert.equal(typeof reply.error.message, "string");
          return reply.error.code as string;
        };
        assert.equal(await code("join", "general"), "NOT_IDENTIFIED");
        assert.equal(await code("message", "hi"), "NOT_IN_ROOM");
        assert.equal(await code("hello", ""), "INVALID_NICKNAME");
        assert.equal(await code("hello", "   "), "INVALID_NICKNAME");
        assert.equal(await code("hello", "x".repeat(25)), "INVALID_NICKNAME");
        assert.equal(await code("hello", "bad\u0000name"), "INVALID_NICKNAME");
        assert.equal(await code("hello", "evil\u202Eeman"), "INVALID_NICKNAME");
        assert.equal(await code("hello", { toString: "x" }), "INVALID_NICKNAME");
        assert.equal(await code("hello", 42), "INVALID_NICKNAME");
        assert.equal((await c.emitWithAck("hello", "x".repeat(24))).ok, true);
        assert.equal(await code("join", ""), "INVALID_ROOM");
        assert.equal(await code("join", "<script>"), "INVALID_ROOM");
        assert.equal(await code("join", "-dash-first"), "INVALID_ROOM");
        assert.equal(await code("join", "r".repeat(33)), "INVALID_ROOM");
        assert.equal(await code("join", ["general"]), "INVALID_ROOM");
        assert.equal(await code("leave"), "NOT_IN_ROOM");
        assert.equal(await code("file", { name: "a", data: new Uint8Array(1) }), "NOT_IN_ROOM");
        assert.equal((await c.emitWithAck("join", "Café 2")).room, "Café 2");
        assert.equal(await code("message", ""), "INVALID_MESSAGE");
        assert.equal(await code("message", "   "), "INVALID_MESSAGE");
        assert.equal(await code("message", "m".repeat(1001)), "INVALID_MESSAGE");
        assert.equal(await code("message", { text: "hi" }), "INVALID_MESSAGE");
        assert.equal(await code("file", { name: "a.txt", data: "aGVsbG8=" }), "INVALID_FILE", "base64 is refused");
        assert.equal(await code("file", { name: "a.txt", data: new Uint8Array(0) }), "INVALID_FILE");
        assert.equal(await code("file", { name: "", data: new Uint8Array(1) }), "INVALID_FILE");
        assert.equal(await code("file", null), "INVALID_FILE");
        assert.equal(await code("file", { name: "a", data: new Uint8Array(1025) }), "FILE_TOO_LARGE");
        // Events without an ack, with odd arguments, or unknown: ignored, the socket stays usable.
        c.emit("message", "no ack");
        c.emit("hello");
        c.emit("typing");
        c.emit("no-such-event", 1, 2);
        const fine = await c.emitWithAck("message", "still here");
        assert.equal(fine.ok, true);
        assert.equal(chat.rooms.history("Café 2").length, 2, "the ack-less message was stored too");
      });
    });
  });
}

test("rate limits: a burst of messages then RATE_LIMITED; files have their own bucket", async () => {
  await withChat(
    { messageBurst: 3, messageRefillMs: 60_000, fileBurst: 1, fileRefillMs: 60_000 },
    async (chat, clients) => {
      const c = await connect("omnio", chat.url);
      clients.push(c);
      await member(c, "spammer", "general");
      const replies = [];
      for (let i = 0; i < 5; i++) replies.push(await c.emitWithAck("message", `m${i}`));
      assert.deepEqual(
        replies.map((r) => (r.ok ? "ok" : r.error.code)),
        ["ok", "ok", "ok", "RATE_LIMITED", "RATE_LIMITED"],
      );
      const files = [];
      for (let i = 0; i < 2; i++) files.push(await c.emitWithAck("file", { name: "f", data: new Uint8Array(4) }));
      assert.deepEqual(
        files.map((r) => (r.ok ? "ok" : r.error.code)),
        ["ok", "RATE_LIMITED"],
      );
    },
  );
});

test("history is bounded by count and by file bytes; empty rooms go away; the room count is capped", async () => {
  await withChat({ historySize: 3, historyFileBytes: 10, maxRooms: 2, messageBurst: 100 }, async (chat, clients) => {
    const a = await connect("socket.io-client", chat.url);
    clients.push(a);
    await member(a, "a", "general");
    for (let i = 0; i < 5; i++) await a.emitWithAck("message", `m${i}`);
    assert.deepEqual(
      chat.rooms.history("general").map((m) => m.text),
      ["m2", "m3", "m4"],
    );
    await a.emitWithAck("file", { name: "f1", data: new Uint8Array(6) });
    await a.emitWithAck("file", { name: "f2", data: new Uint8Array(6) });
    assert.deepEqual(
      chat.rooms.history("general").map((m) => m.text ?? m.file?.name),
      ["m4", "f2"],
      "f1 left: two files would be 12 bytes > 10",
    );

    assert.equal((await a.emitWithAck("join", "second")).ok, true);
    const b = await connect("socket.io-client", chat.url);
    clients.push(b);
    await b.emitWithAck("hello", "b");
    const third = await b.emitWithAck("join", "third");
    assert.equal(third.error?.code, "TOO_MANY_ROOMS");
    assert.equal((await a.emitWithAck("join", "general")).ok, true, "a leaves 'second'");
    assert.deepEqual(
      chat.rooms.summaries().map((r) => r.name),
      ["general"],
      "the empty room is gone, general stays",
    );
    assert.equal((await b.emitWithAck("join", "third")).ok, true, "room for a new one now");
    b.disconnect();
    await until("b's room goes when b disconnects", () => chat.rooms.summaries().length === 1);
  });
});

test("the page, its assets and the omnio client bundle are served; other paths are not", async () => {
  await withChat({}, async (chat) => {
    const page = await fetch(chat.url);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    const html = await page.text();
    assert.match(html, /<script src="\/socket\.io\/omnio\.min\.js" defer><\/script>/);
    for (const [path, type] of [
      ["app.js", "text/javascript; charset=utf-8"],
      ["style.css", "text/css; charset=utf-8"],
    ]) {
      const res = await fetch(chat.url + path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get("content-type"), type);
    }
    const bundle = await fetch(chat.url + "socket.io/omnio.min.js");
    assert.equal(bundle.status, 200);
    assert.match(await bundle.text(), /omnio/);
    assert.equal((await fetch(chat.url + "nope")).status, 404);
    assert.equal((await fetch(chat.url + "../package.json")).status, 404);
    assert.equal((await fetch(chat.url, { method: "POST" })).status, 405);
  });
});
