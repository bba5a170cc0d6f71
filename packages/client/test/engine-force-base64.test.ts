/**
 * The `forceBase64` engine option against the omnio server and socket.io 4.8.4: every request
 * carries `b64=1`, WebSocket frames carrying binary are `b<base64>` text both ways, and binary
 * still arrives as binary on both sides.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import type { Platform } from "@omnio/client";
import { createNodePlatform, io } from "@omnio/client/node";
import { SERVER_KINDS, once } from "./support/servers.js";
import { MODES, nextServerSocket, startSio, until } from "./support/sio.js";

/** A Node platform that records every request URL and every WebSocket frame, both ways. */
function recordingPlatform(): { platform: Platform; urls: string[]; sent: unknown[]; received: unknown[] } {
  const base = createNodePlatform();
  const urls: string[] = [];
  const sent: unknown[] = [];
  const received: unknown[] = [];
  const platform: Platform = {
    ...base,
    request(request, handlers) {
      urls.push(request.url);
      return base.request!(request, handlers);
    },
    createSocket(request, handlers) {
      urls.push(request.url);
      const socket = base.createSocket!(request, {
        ...handlers,
        onMessage(data) {
          received.push(data);
          handlers.onMessage(data);
        },
      });
      return {
        send(data, compress) {
          sent.push(data);
          socket.send(data, compress);
        },
        close: (code, reason) => socket.close(code, reason),
      };
    },
  };
  return { platform, urls, sent, received };
}

const isBinaryFrame = (frame: unknown): boolean => typeof frame !== "string";
const isBase64Frame = (frame: unknown): boolean => typeof frame === "string" && frame.startsWith("b");

for (const kind of SERVER_KINDS) {
  describe(`forceBase64 [${kind}]`, () => {
    for (const mode of MODES) {
      test(`${mode.name}: b64=1 on every request, binary both ways, WebSocket binary as text frames`, async () => {
        const srv = await startSio(kind);
        const rec = recordingPlatform();
        const socket = io(srv.url, {
          platform: rec.platform,
          forceBase64: true,
          transports: mode.transports,
          upgrade: mode.upgrade,
          reconnection: false,
        });
        try {
          const serverSocket = nextServerSocket(srv.io);
          await once(socket, "connect");
          const s = await serverSocket;
          if (mode.name === "upgrade") await until(() => socket.io.engine?.transport === "websocket");

          s.on("up", (bytes: Buffer, ack: (b: Buffer) => void) => ack(Buffer.from([...bytes].reverse())));
          const reply = await socket.timeout(2000).emitWithAck("up", new Uint8Array([1, 2, 3]));
          assert.ok(reply instanceof ArrayBuffer);
          assert.deepEqual([...new Uint8Array(reply)], [3, 2, 1]);
          const down = once<[ArrayBuffer]>(socket, "down");
          s.emit("down", Buffer.from([255, 0, 7]));
          const [bytes] = await down;
          assert.ok(bytes instanceof ArrayBuffer);
          assert.deepEqual([...new Uint8Array(bytes)], [255, 0, 7]);

          assert.ok(rec.urls.length > 0);
          for (const url of rec.urls) assert.match(url, /[?&]b64=1(&|$)/, url);
          if (mode.name !== "polling") {
            assert.ok(rec.urls.some((url) => url.startsWith("ws:")));
            assert.deepEqual(rec.sent.filter(isBinaryFrame), []);
            assert.deepEqual(rec.received.filter(isBinaryFrame), []);
            // The attachment went up as `b` + base64 of 01 02 03, and came back as 03 02 01.
            assert.ok(rec.sent.includes("bAQID"), String(rec.sent));
            assert.ok(rec.received.includes("bAwIB"), String(rec.received));
            assert.ok(rec.received.includes("b/wAH"), String(rec.received));
          }
        } finally {
          socket.disconnect();
          await srv.close();
        }
      });
    }

    test("without forceBase64, WebSocket binary travels as binary frames and no b64 is sent (control)", async () => {
      const srv = await startSio(kind);
      const rec = recordingPlatform();
      const socket = io(srv.url, { platform: rec.platform, transports: ["websocket"], reconnection: false });
      try {
        const serverSocket = nextServerSocket(srv.io);
        await once(socket, "connect");
        const s = await serverSocket;
        s.on("up", (bytes: Buffer, ack: (b: Buffer) => void) => ack(bytes));
        await socket.timeout(2000).emitWithAck("up", new Uint8Array([1, 2, 3]));
        for (const url of rec.urls) assert.doesNotMatch(url, /b64/);
        assert.equal(rec.sent.filter(isBinaryFrame).length, 1);
        assert.equal(rec.received.filter(isBinaryFrame).length, 1);
        assert.equal(rec.sent.filter(isBase64Frame).length + rec.received.filter(isBase64Frame).length, 0);
      } finally {
        socket.disconnect();
        await srv.close();
      }
    });
  });
}
