/**
 * Interop: disconnections and the reasons both ends report, for each way a connection
 * can end (client or server leaving a namespace, closing the connection, shutting down,
 * killing the transport, missing heartbeats).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Socket as ClientSocket } from "socket.io-client";
import type { Socket as ServerSocket } from "@omnio/server";
import { MODES, next, nextConnection, pair, startInterop, until, waitConnect, waitUpgrade } from "./support/interop.js";

/** The reason of the next `disconnect` on each end. */
function reasons(client: ClientSocket, socket: ServerSocket): Promise<[string, string]> {
  return Promise.all([next<[string]>(client, "disconnect"), next<[string]>(socket, "disconnect")]).then(([c, s]) => [
    c[0],
    s[0],
  ]);
}

/**
 * Makes the official client stop answering the server's pings (its engine keeps reading).
 * `_sendPacket` is engine.io-client's internal writer; there is no public switch for this.
 */
function stopPongs(client: ClientSocket): void {
  const engine = client.io.engine as unknown as { _sendPacket: (type: string, ...rest: unknown[]) => void };
  const send = engine._sendPacket.bind(engine);
  engine._sendPacket = (type, ...rest) => {
    if (type !== "pong") send(type, ...rest);
  };
}

describe("interop: disconnect reasons", { concurrency: true }, () => {
  for (const mode of MODES) {
    test(`[${mode}] client disconnect() → server "client namespace disconnect"`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const both = reasons(client, socket);
        client.disconnect();
        assert.deepEqual(await both, ["io client disconnect", "client namespace disconnect"]);
        assert.equal(socket.connected, false);
        assert.equal(srv.io.sockets.sockets.size, 0);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] server disconnect() → client "io server disconnect", server "server namespace disconnect"`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode, { reconnection: true });
        await socket.join("room");
        const roomsWhileDisconnecting = new Promise<string[]>((resolve) =>
          socket.once("disconnecting", () => resolve([...socket.rooms] as string[])),
        );
        const both = reasons(client, socket);
        socket.disconnect();
        assert.deepEqual(await both, ["io server disconnect", "server namespace disconnect"]);
        assert.ok((await roomsWhileDisconnecting).includes("room"), "rooms are still there on disconnecting");
        assert.equal(socket.rooms.size, 0);
        assert.equal(client.active, false, "no automatic reconnection after a server disconnect");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] server disconnect(true) leaves every namespace and closes the connection`, async () => {
      const srv = await startInterop();
      try {
        const connA = nextConnection(srv.io.of("/a"));
        const connB = nextConnection(srv.io.of("/b"));
        const manager = srv.manager(mode);
        const ca = manager.socket("/a");
        const cb = manager.socket("/b");
        await Promise.all([waitConnect(ca), waitConnect(cb)]);
        if (mode === "upgrade") await waitUpgrade(ca);
        const [sa, sb] = await Promise.all([connA, connB]);
        const both = Promise.all([reasons(ca, sa), reasons(cb, sb)]);
        sa.disconnect(true);
        assert.deepEqual(await both, [
          ["io server disconnect", "server namespace disconnect"],
          ["io server disconnect", "server namespace disconnect"],
        ]);
        await until(() => sa.conn.readyState === "closed", "the Engine.IO session is closed");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] io.close() → client "transport close", server "server shutting down"`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        // With polling, the client must be waiting on a GET to be told (else it finds the
        // server gone when it next polls: "transport error", with socket.io as well).
        await until(() => socket.conn.transport.writable, "the client polls");
        const both = reasons(client, socket);
        await srv.io.close();
        assert.deepEqual(await both, ["transport close", "server shutting down"]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] socket.conn.close() on the server → client "transport close"`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const both = reasons(client, socket);
        socket.conn.close();
        assert.deepEqual(await both, ["transport close", "forced close"]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] the client's engine closing → server "transport close"`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const serverReason = next<[string]>(socket, "disconnect");
        client.io.engine.close();
        assert.equal((await serverReason)[0], "transport close");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] a packet the parser refuses (too many binary attachments) → "error", then the connection closes`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const errors: unknown[] = [];
        socket.on("error", (err: unknown) => errors.push(err));
        const delivered: unknown[] = [];
        socket.on("many", () => delivered.push("many"));
        const both = reasons(client, socket);
        client.emit("many", ...Array.from({ length: 11 }, (_, i) => Buffer.from([i])));
        assert.deepEqual(await both, ["transport close", "forced close"]);
        assert.equal(errors.length, 1);
        assert.ok(errors[0] instanceof Error);
        assert.deepEqual(delivered, []);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] a client event named "error" breaks nothing and reaches "error" listeners`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        socket.on("still", (ack: (v: string) => void) => ack("alive"));
        client.emit("error", "nobody listens"); // must not crash the server (CVE-2024-38355)
        assert.equal(await client.emitWithAck("still"), "alive");
        const got = next(socket, "error");
        client.emit("error", "from the client", { detail: 1 });
        assert.deepEqual(await got, ["from the client", { detail: 1 }]);
        assert.ok(client.connected);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] a client that stops answering pings → server "ping timeout"`, async () => {
      // Generous for a loaded machine: the live client must answer within pingTimeout, and
      // the server must give up (pingTimeout after its ping) well before the client would
      // (pingInterval + pingTimeout after that ping), so the client reason is "transport close".
      const srv = await startInterop({ pingInterval: 1000, pingTimeout: 2000 });
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const both = reasons(client, socket);
        await next(client.io, "ping"); // the heartbeat runs
        stopPongs(client);
        assert.deepEqual(await both, ["transport close", "ping timeout"]);
      } finally {
        await srv.close();
      }
    });
  }
});
