/**
 * Options beyond the basics, over real sockets against both servers: `compress(false)` reaches
 * the WebSocket per frame (bytes on the wire with per-message deflate negotiated),
 * `transportOptions` apply per transport (query, headers, path), and `closeOnBeforeunload`
 * closes silently (the server sees the client leave; no `disconnect` on the client).
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import type { Socket as NetSocket } from "node:net";
import type { Platform } from "@omnio/client";
import { createNodePlatform, io } from "@omnio/client/node";
import { SERVER_KINDS, once, sleep } from "./support/servers.js";
import { nextServerSocket, startSio, until } from "./support/sio.js";

for (const kind of SERVER_KINDS) {
  describe(`socket options over the wire [${kind}]`, () => {
    test("compress(false) sends an uncompressible-size frame; the default lets ws deflate it", async () => {
      const srv = await startSio(kind, { perMessageDeflate: { threshold: 0 } });
      const tcp: NetSocket[] = [];
      srv.http.on("connection", (s: NetSocket) => tcp.push(s));
      const got: number[] = [];
      srv.io.on("connection", (s: any) =>
        s.on("blob", (text: string, ack: () => void) => (got.push(text.length), ack())),
      );
      const socket = io(srv.url, { platform: createNodePlatform(), transports: ["websocket"] });
      const read = (): number => tcp.reduce((n, s) => n + s.bytesRead, 0);
      try {
        await once(socket, "connect");
        const text = "abcdefgh".repeat(25_000); // 200 KB, deflates to a few hundred bytes
        let before = read();
        await socket.timeout(5000).emitWithAck("blob", text);
        const compressed = read() - before;
        before = read();
        await socket.compress(false).timeout(5000).emitWithAck("blob", text);
        const plain = read() - before;
        assert.deepEqual(got, [200_000, 200_000]);
        assert.ok(compressed < 20_000, `default: ${compressed} bytes on the wire`);
        assert.ok(plain >= 200_000, `compress(false): ${plain} bytes on the wire`);
        // The flag is per emit: the next one is compressed again.
        before = read();
        await socket.timeout(5000).emitWithAck("blob", text);
        assert.ok(read() - before < 20_000);
      } finally {
        socket.disconnect();
        await srv.close();
      }
    });

    test("transportOptions: per-transport query, headers and path (polling, then the websocket upgrade)", async () => {
      const srv = await startSio(kind, { path: "/rt" });
      const seen: { transport: string | null; query: URLSearchParams; header: unknown; path: string }[] = [];
      const record = (req: IncomingMessage): void => {
        const url = new URL(req.url ?? "/", "http://x");
        seen.push({
          transport: url.searchParams.get("transport"),
          query: url.searchParams,
          header: req.headers["x-t"],
          path: url.pathname,
        });
      };
      srv.http.prependListener("request", record);
      srv.http.prependListener("upgrade", record);
      const socket = io(srv.url, {
        platform: createNodePlatform(),
        path: "/nowhere",
        query: { common: "1" },
        extraHeaders: { "x-t": "common" },
        transportOptions: {
          polling: { query: { p: "1" }, extraHeaders: { "x-t": "polling" }, path: "/rt" },
          websocket: { query: { w: "1" }, extraHeaders: { "x-t": "websocket" }, path: "/rt" },
        },
      });
      try {
        await once(socket, "connect");
        await until(() => socket.io.engine?.transport === "websocket", 5000, "the upgrade");
        const polling = seen.filter((s) => s.transport === "polling");
        const ws = seen.filter((s) => s.transport === "websocket");
        assert.ok(polling.length >= 2 && ws.length === 1, `${polling.length} polling, ${ws.length} websocket`);
        for (const s of polling) {
          assert.equal(s.header, "polling");
          assert.equal(s.query.get("p"), "1");
          assert.equal(s.query.get("common"), null, "the override replaces the query");
          assert.equal(s.path, "/rt/");
        }
        assert.equal(ws[0]!.header, "websocket");
        assert.equal(ws[0]!.query.get("w"), "1");
        assert.equal(ws[0]!.query.get("EIO"), "4");
        assert.ok(ws[0]!.query.get("sid"), "the upgrade carries the sid");
      } finally {
        socket.disconnect();
        await srv.close();
      }
    });

    test("closeOnBeforeunload: unload closes silently (server sees it, no client disconnect); off by default", async () => {
      const srv = await startSio(kind);
      const unloads = new Set<() => void>();
      const platform: Platform = {
        ...createNodePlatform(),
        lifecycle: {
          onBeforeUnload(listener) {
            unloads.add(listener);
            return () => unloads.delete(listener);
          },
        },
      };
      const unload = (): void => [...unloads].forEach((l) => l());
      const plain = io(srv.url, { platform, transports: ["websocket"] });
      const closing = io(srv.url, { platform, transports: ["websocket"], closeOnBeforeunload: true });
      try {
        const serverSide = nextServerSocket(srv.io);
        await once(plain, "connect");
        await serverSide;
        const serverClosing = nextServerSocket(srv.io);
        await once(closing, "connect");
        const gone = once<[string]>(await serverClosing, "disconnect", 5000);
        const events: string[] = [];
        plain.on("disconnect", (r) => events.push(`plain:${r}`));
        closing.on("disconnect", (r) => events.push(`closing:${r}`));
        closing.io.on("reconnect_attempt", () => events.push("closing:reconnect_attempt"));
        unload();
        assert.equal((await gone)[0], "transport close");
        await sleep(100);
        assert.deepEqual(events, []);
        assert.equal(plain.connected, true, "the default (false) ignores unload");
        assert.equal(unloads.size, 0, "the closed engine let go of its listener; the other never took one");
      } finally {
        plain.disconnect();
        closing.disconnect();
        await srv.close();
      }
    });
  });
}
