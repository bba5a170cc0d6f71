/**
 * Interop: namespaces with the official client: static, several multiplexed on one
 * connection, dynamic by RegExp and by function, and unknown ones.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Socket as ClientSocket } from "socket.io-client";
import type { Namespace, Socket as ServerSocket } from "@omnio/server";
import { MODES, next, nextConnection, pair, startInterop, waitConnect, waitUpgrade } from "./support/interop.js";

type Ack = (...args: unknown[]) => void;

describe("interop: namespaces", { concurrency: true }, () => {
  for (const mode of MODES) {
    test(`[${mode}] a static namespace is separate from the main one`, async () => {
      const srv = await startInterop();
      try {
        const created: string[] = [];
        srv.io.on("new_namespace", (nsp: Namespace) => created.push(nsp.name));
        const admin = srv.io.of("admin");
        assert.equal(admin.name, "/admin");
        assert.equal(srv.io.of("/admin"), admin);
        assert.deepEqual(created, ["/admin"]);

        const mainConnections: string[] = [];
        srv.io.on("connection", (s: ServerSocket) => mainConnections.push(s.id));
        const { client, socket } = await pair(srv, "/admin", mode);
        assert.equal(socket.nsp, admin);
        assert.equal(socket.id, client.id);
        assert.deepEqual(mainConnections, [], "joining /admin does not join /");
        assert.equal(admin.sockets.get(socket.id), socket);

        const heard: string[] = [];
        client.onAny((ev: string) => heard.push(ev));
        srv.io.emit("to-main");
        admin.emit("to-admin");
        await next(client, "to-admin");
        assert.deepEqual(heard, ["to-admin"]);
        socket.on("hi", (ack: Ack) => ack(socket.nsp.name));
        assert.equal(await client.emitWithAck("hi"), "/admin");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] namespaces multiplexed on one Manager share one Engine.IO connection`, async () => {
      const srv = await startInterop();
      try {
        const a = srv.io.of("/a");
        const b = srv.io.of("/b");
        for (const nsp of [srv.io.of("/"), a, b]) {
          nsp.on("connection", (s: ServerSocket) => s.on("whoami", (ack: Ack) => ack(s.nsp.name)));
        }
        const connA = nextConnection(a);
        const connB = nextConnection(b);
        const connMain = nextConnection(srv.io);
        const manager = srv.manager(mode);
        const ca = manager.socket("/a");
        const cb = manager.socket("/b");
        const cmain = manager.socket("/");
        await Promise.all([waitConnect(ca), waitConnect(cb), waitConnect(cmain)]);
        if (mode === "upgrade") await waitUpgrade(cmain);
        const [sa, sb, smain] = await Promise.all([connA, connB, connMain]);

        assert.equal(sa.conn, sb.conn, "one Engine.IO session carries both namespaces");
        assert.equal(sa.conn, smain.conn);
        assert.equal(new Set([sa.id, sb.id, smain.id]).size, 3, "one socket id per namespace");
        assert.deepEqual([ca.id, cb.id, cmain.id], [sa.id, sb.id, smain.id]);

        assert.deepEqual(
          await Promise.all([ca.emitWithAck("whoami"), cb.emitWithAck("whoami"), cmain.emitWithAck("whoami")]),
          ["/a", "/b", "/"],
        );
        // Server → client acks on several namespaces at once, each routed to its own socket.
        ca.on("name", (ack: Ack) => ack("client /a"));
        cb.on("name", (ack: Ack) => ack("client /b"));
        assert.deepEqual(await Promise.all([sa.emitWithAck("name"), sb.emitWithAck("name")]), [
          "client /a",
          "client /b",
        ]);

        // Leaving one namespace keeps the connection and the other namespaces.
        const left = next<[string]>(sa, "disconnect");
        ca.disconnect();
        assert.equal((await left)[0], "client namespace disconnect");
        assert.equal(sa.connected, false);
        assert.ok(sb.connected && smain.connected);
        assert.equal(sb.conn.readyState, "open");
        assert.equal(await cb.emitWithAck("whoami"), "/b");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] dynamic namespaces by RegExp inherit middlewares and listeners`, async () => {
      const srv = await startInterop();
      try {
        const created: string[] = [];
        srv.io.on("new_namespace", (nsp: Namespace) => created.push(nsp.name));
        const parent = srv.io.of(/^\/dyn-\d+$/);
        parent.use((socket, next) => {
          socket.data = { fromMiddleware: socket.nsp.name };
          next();
        });
        const connections: string[] = [];
        parent.on("connection", (s: ServerSocket) => {
          connections.push(s.nsp.name);
          s.on("data", (ack: Ack) => ack(s.data));
        });

        const one = await srv.connect("/dyn-1", mode);
        const two = await srv.connect("/dyn-22", mode);
        const oneAgain = await srv.connect("/dyn-1", mode);
        assert.deepEqual(connections, ["/dyn-1", "/dyn-22", "/dyn-1"]);
        assert.deepEqual(created, ["/dyn-1", "/dyn-22"], "new_namespace once per child");
        assert.deepEqual(await one.emitWithAck("data"), { fromMiddleware: "/dyn-1" });
        assert.deepEqual(await two.emitWithAck("data"), { fromMiddleware: "/dyn-22" });
        assert.equal(srv.io.of("/dyn-1").sockets.size, 2);

        // An emit on the parent reaches every child namespace.
        const got = Promise.all([next(one, "all"), next(two, "all"), next(oneAgain, "all")]);
        parent.emit("all", 1);
        assert.deepEqual(await got, [[1], [1], [1]]);
        // An emit on one child stays there.
        const heardByTwo: string[] = [];
        two.onAny((ev: string) => heardByTwo.push(ev));
        const gotOne = next(one, "only-1");
        const marker = next(two, "marker");
        srv.io.of("/dyn-1").emit("only-1");
        srv.io.of("/dyn-22").emit("marker"); // would arrive after a stray "only-1"
        await Promise.all([gotOne, marker]);
        assert.deepEqual(heardByTwo, ["marker"]);

        const bad = srv.client("/dyn-x", mode);
        const [err] = await next<[Error]>(bad, "connect_error");
        assert.equal(err.message, "Invalid namespace");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] dynamic namespaces by function see the name and the auth`, async () => {
      const srv = await startInterop();
      try {
        const seen: Array<[string, unknown]> = [];
        const parent = srv.io.of((name, auth, next) => {
          seen.push([name, auth]);
          next(null, name.startsWith("/tenant-") && auth["token"] === "ok");
        });
        parent.on("connection", (s: ServerSocket) => s.on("where", (ack: Ack) => ack(s.nsp.name)));
        const good = await srv.connect("/tenant-7", mode, { auth: { token: "ok" } });
        assert.equal(await good.emitWithAck("where"), "/tenant-7");
        assert.deepEqual(seen, [["/tenant-7", { token: "ok" }]]);

        const badAuth = srv.client("/tenant-8", mode, { auth: { token: "no" } });
        assert.equal((await next<[Error]>(badAuth, "connect_error"))[0].message, "Invalid namespace");
        const badName = srv.client("/other", mode, { auth: { token: "ok" } });
        assert.equal((await next<[Error]>(badName, "connect_error"))[0].message, "Invalid namespace");
        // A child created once is reused without asking the function again.
        const again = await srv.connect("/tenant-7", mode, { auth: { token: "anything" } });
        assert.equal(await again.emitWithAck("where"), "/tenant-7");
        assert.equal(seen.length, 3);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] cleanupEmptyChildNamespaces: an emptied child namespace is created afresh`, async () => {
      const srv = await startInterop({ cleanupEmptyChildNamespaces: true });
      try {
        const created: string[] = [];
        srv.io.on("new_namespace", (nsp: Namespace) => created.push(nsp.name));
        const parent = srv.io.of(/^\/room-\d+$/);
        let runs = 0;
        parent.use((_socket, next) => {
          runs++;
          next();
        });
        const first = await srv.connect("/room-1", mode);
        const gone = next(srv.io.of("/room-1").sockets.values().next().value as ServerSocket, "disconnect");
        first.disconnect();
        await gone;
        const second = await srv.connect("/room-1", mode);
        assert.ok(second.connected);
        assert.deepEqual(created, ["/room-1", "/room-1"]);
        assert.equal(runs, 2);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] a disconnect() in the connection handler: the client connects, then is disconnected`, async () => {
      const srv = await startInterop();
      try {
        srv.io.on("connection", (s: ServerSocket) => {
          s.emit("welcome");
          s.disconnect();
        });
        const c = srv.client("/", mode);
        const events: string[] = [];
        c.on("connect", () => events.push("connect"));
        c.on("welcome", () => events.push("welcome"));
        const [reason] = await next<[string]>(c, "disconnect");
        assert.equal(reason, "io server disconnect");
        assert.deepEqual(events, ["connect", "welcome"]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] an unknown namespace gets connect_error "Invalid namespace"; others on the connection live on`, async () => {
      const srv = await startInterop();
      try {
        const lonely = srv.client("/nope", mode);
        const [err] = await next<[Error & { data?: unknown }]>(lonely, "connect_error");
        assert.equal(err.message, "Invalid namespace");
        assert.equal(err.data, undefined);
        assert.equal(lonely.connected, false);

        srv.io.on("connection", (s: ServerSocket) => s.on("alive", (ack: Ack) => ack(true)));
        const manager = srv.manager(mode);
        const main: ClientSocket = manager.socket("/");
        await waitConnect(main);
        const unknown = manager.socket("/unknown");
        assert.equal((await next<[Error]>(unknown, "connect_error"))[0].message, "Invalid namespace");
        assert.equal(await main.emitWithAck("alive"), true);
      } finally {
        await srv.close();
      }
    });
  }
});
