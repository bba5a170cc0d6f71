/**
 * Interop: rooms and broadcasts seen by official clients: targeting (`to`, `except`, unions
 * without duplicates, sender exclusion), the utility methods (`socketsJoin`, `socketsLeave`,
 * `disconnectSockets`, `fetchSockets`) and broadcasts with acknowledgements.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Socket as ClientSocket } from "socket.io-client";
import type { Socket as ServerSocket } from "@omnio/server";
import { MODES, next, pair, startInterop, until, type InteropServer, type TransportMode } from "./support/interop.js";

type Ack = (...args: unknown[]) => void;
type Name = "A" | "B" | "C" | "D";

interface Peer {
  client: ClientSocket;
  socket: ServerSocket;
  /** Every event this client received, as `event:arg`. */
  heard: string[];
}

/**
 * Four clients: A in r1; B in r1 and r2; C in r2; D in no room. Each records what it hears.
 */
async function fourPeers(srv: InteropServer, mode: TransportMode): Promise<Record<Name, Peer>> {
  const rooms: Record<Name, string[]> = { A: ["r1"], B: ["r1", "r2"], C: ["r2"], D: [] };
  const peers = {} as Record<Name, Peer>;
  for (const name of ["A", "B", "C", "D"] as const) {
    const { client, socket } = await pair(srv, "/", mode);
    socket.data = { name };
    await socket.join(rooms[name]);
    const heard: string[] = [];
    client.onAny((ev: string, arg: unknown) => {
      if (ev !== "sync") heard.push(`${ev}:${String(arg)}`);
    });
    peers[name] = { client, socket, heard };
  }
  return peers;
}

/** Waits until every client got a final marker: everything broadcast before it has arrived. */
async function settle(srv: InteropServer, peers: Record<Name, Peer>): Promise<Record<Name, string[]>> {
  const all = Object.values(peers);
  const arrived = Promise.all(all.map((p) => next(p.client, "sync")));
  srv.io.emit("sync");
  await arrived;
  const out = {} as Record<Name, string[]>;
  for (const [name, p] of Object.entries(peers) as Array<[Name, Peer]>) {
    out[name] = p.heard.slice();
    p.heard.length = 0;
  }
  return out;
}

const names = (sockets: Array<{ data: unknown }>): string[] =>
  sockets.map((s) => (s.data as { name: string }).name).sort();

describe("interop: rooms", { concurrency: true }, () => {
  for (const mode of MODES) {
    test(`[${mode}] io.to / except / unions reach each target exactly once`, async () => {
      const srv = await startInterop();
      try {
        const p = await fourPeers(srv, mode);
        assert.deepEqual([...p.B.socket.rooms].sort(), [p.B.socket.id, "r1", "r2"].sort());
        srv.io.to("r1").emit("e", 1);
        srv.io.to("r1").to("r2").emit("e", 2);
        srv.io.to(["r1", "r2"]).emit("e", 3);
        srv.io.except("r2").emit("e", 4);
        srv.io.to("r1").except("r2").emit("e", 5);
        srv.io.to("nobody").emit("e", 6);
        srv.io.to(p.D.socket.id).emit("e", 7);
        srv.io.in("r2").emit("e", 8);
        assert.deepEqual(await settle(srv, p), {
          A: ["e:1", "e:2", "e:3", "e:4", "e:5"],
          B: ["e:1", "e:2", "e:3", "e:8"],
          C: ["e:2", "e:3", "e:8"],
          D: ["e:4", "e:7"],
        });

        await p.B.socket.leave("r1");
        assert.deepEqual([...p.B.socket.rooms].sort(), [p.B.socket.id, "r2"].sort());
        srv.io.to("r1").emit("after-leave", 1);
        assert.deepEqual(await settle(srv, p), { A: ["after-leave:1"], B: [], C: [], D: [] });
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] socket.to / socket.broadcast exclude the sender`, async () => {
      const srv = await startInterop();
      try {
        const p = await fourPeers(srv, mode);
        p.B.socket.to("r1").emit("e", 1);
        p.A.socket.broadcast.emit("e", 2);
        p.A.socket.to("r2").emit("e", 3);
        p.B.socket.broadcast.except("r2").emit("e", 4);
        p.C.socket.to("r2").except("r1").emit("e", 5);
        p.B.socket.to("r1").to("r2").emit("e", 6);
        assert.deepEqual(await settle(srv, p), {
          A: ["e:1", "e:4", "e:6"],
          B: ["e:2", "e:3"],
          C: ["e:2", "e:3", "e:6"],
          D: ["e:2", "e:4"],
        });
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] socketsJoin, socketsLeave and fetchSockets`, async () => {
      const srv = await startInterop();
      try {
        const p = await fourPeers(srv, mode);
        srv.io.in("r1").socketsJoin("r3");
        srv.io.in("r2").except("r1").socketsJoin(["r4", "r5"]);
        assert.ok(p.A.socket.rooms.has("r3") && p.B.socket.rooms.has("r3"));
        assert.ok(!p.C.socket.rooms.has("r3"));
        assert.deepEqual([...p.C.socket.rooms].sort(), [p.C.socket.id, "r2", "r4", "r5"].sort());
        assert.ok(!p.B.socket.rooms.has("r4"));
        srv.io.in("r3").socketsLeave("r1");
        assert.ok(!p.A.socket.rooms.has("r1") && !p.B.socket.rooms.has("r1"));
        srv.io.to("r3").emit("e", "r3");
        srv.io.to("r1").emit("e", "r1");
        assert.deepEqual(await settle(srv, p), { A: ["e:r3"], B: ["e:r3"], C: [], D: [] });

        assert.deepEqual(names(await srv.io.fetchSockets()), ["A", "B", "C", "D"]);
        assert.deepEqual(names(await srv.io.in("r2").fetchSockets()), ["B", "C"]);
        assert.deepEqual(names(await srv.io.except("r3").fetchSockets()), ["C", "D"]);
        const [c] = await srv.io.in("r4").fetchSockets();
        assert.ok(c);
        assert.equal(c.id, p.C.client.id);
        assert.deepEqual(c.data, { name: "C" });
        assert.ok(c.rooms instanceof Set);
        assert.deepEqual([...c.rooms].sort(), [p.C.socket.id, "r2", "r4", "r5"].sort());
        assert.equal(typeof c.handshake.issued, "number");
        assert.equal(c.handshake.query["EIO"], "4");
        const direct = next(p.C.client, "direct");
        c.emit("direct", "only C");
        assert.deepEqual(await direct, ["only C"]);
        assert.deepEqual(await settle(srv, p), { A: [], B: [], C: ["direct:only C"], D: [] });
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] disconnectSockets on a room, then with close`, async () => {
      const srv = await startInterop();
      try {
        const p = await fourPeers(srv, mode);
        const reasons = Promise.all([
          next<[string]>(p.B.client, "disconnect"),
          next<[string]>(p.C.client, "disconnect"),
          next<[string]>(p.B.socket, "disconnect"),
          next<[string]>(p.C.socket, "disconnect"),
        ]);
        srv.io.in("r2").disconnectSockets();
        const [cb, cc, sb, sc] = await reasons;
        assert.deepEqual([cb[0], cc[0]], ["io server disconnect", "io server disconnect"]);
        assert.deepEqual([sb[0], sc[0]], ["server namespace disconnect", "server namespace disconnect"]);
        assert.ok(p.A.client.connected && p.D.client.connected);
        assert.deepEqual(names(await srv.io.fetchSockets()), ["A", "D"]);

        const closed = Promise.all([
          next<[string]>(p.A.client, "disconnect"),
          next<[string]>(p.A.socket, "disconnect"),
        ]);
        srv.io.except(p.D.socket.id).disconnectSockets(true);
        const [[clientReason], [serverReason]] = await closed;
        assert.equal(clientReason, "io server disconnect");
        assert.equal(serverReason, "server namespace disconnect");
        await until(() => p.A.socket.conn.readyState === "closed", "A's connection is closed");
        assert.ok(p.D.client.connected);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] broadcast acks: every response, or a timeout error with the partial list`, async () => {
      const srv = await startInterop();
      try {
        const p = await fourPeers(srv, mode);
        for (const name of ["A", "B", "C"] as const)
          p[name].client.on("q", (n: number, ack: Ack) => ack(`${name}${n}`));
        p.D.client.on("q", () => undefined); // D never answers

        const all = await new Promise<unknown[]>((resolve) =>
          srv.io
            .to(["r1", "r2"])
            .timeout(5000)
            .emit("q", 1, (...args: unknown[]) => resolve(args)),
        );
        assert.equal(all[0], null);
        assert.deepEqual((all[1] as string[]).slice().sort(), ["A1", "B1", "C1"]);

        // Long enough for A, B and C to answer even on a loaded machine; D never does.
        const partial = await new Promise<unknown[]>((resolve) =>
          srv.io.timeout(2000).emit("q", 2, (...args: unknown[]) => resolve(args)),
        );
        assert.ok(partial[0] instanceof Error);
        assert.equal(partial[0].message, "operation has timed out");
        assert.deepEqual((partial[1] as string[]).slice().sort(), ["A2", "B2", "C2"]);

        const none = await new Promise<unknown[]>((resolve) =>
          srv.io
            .to("empty")
            .timeout(5000)
            .emit("q", 3, (...args: unknown[]) => resolve(args)),
        );
        assert.deepEqual(none, [null, []]);

        const excludingSender = await p.A.socket.broadcast.timeout(5000).except(p.D.socket.id).emitWithAck("q", 4);
        assert.deepEqual((excludingSender as string[]).slice().sort(), ["B4", "C4"]);

        const viaRoom = await srv.io.in("r2").timeout(5000).emitWithAck("q", 5);
        assert.deepEqual((viaRoom as string[]).slice().sort(), ["B5", "C5"]);
        await assert.rejects(srv.io.timeout(300).emitWithAck("q", 6), { message: "operation has timed out" });
      } finally {
        await srv.close();
      }
    });
  }

  test("a socket that left cannot join rooms any more (room counts stay right)", async () => {
    const srv = await startInterop();
    try {
      const { client, socket } = await pair(srv, "/", "websocket");
      await socket.join("before");
      const left = next(socket, "disconnect");
      client.disconnect();
      await left;
      // E.g. an async handler that finishes after the client is gone.
      await socket.join("late");
      await socket.join(["late-2", "late-3"]);
      assert.equal(socket.rooms.size, 0);
      const rooms = srv.io.sockets.adapter.rooms;
      for (const room of ["before", "late", "late-2", "late-3", socket.id]) assert.equal(rooms.has(room), false, room);
      assert.deepEqual([...(await srv.io.in("late").fetchSockets())], []);
    } finally {
      await srv.close();
    }
  });

  test("rooms joined in a middleware that then refuses the connection are left", async () => {
    const srv = await startInterop();
    try {
      const refusing = srv.io.of("/refusing");
      refusing.use((socket, next) => {
        void socket.join(["mw-room", "other"]);
        next(new Error("refused"));
      });
      const c = srv.client("/refusing", "websocket");
      const [err] = await next<[Error]>(c, "connect_error");
      assert.equal(err.message, "refused");
      assert.deepEqual([...refusing.adapter.rooms.keys()], []);
      assert.equal(refusing.sockets.size, 0);
    } finally {
      await srv.close();
    }
  });
});
