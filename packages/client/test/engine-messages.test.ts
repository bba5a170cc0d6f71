/** Text and binary messages both ways at the Engine.IO level, on each transport. */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { EngineSocket, type TransportName } from "@omnio/client";
import { SERVER_KINDS, nodePlatform, once, startServer } from "./support/servers.js";

const MODES: { name: string; transports: TransportName[]; upgrade: boolean }[] = [
  { name: "polling", transports: ["polling"], upgrade: false },
  { name: "websocket", transports: ["websocket"], upgrade: false },
  { name: "upgrade", transports: ["polling", "websocket"], upgrade: true },
];

for (const kind of SERVER_KINDS) {
  for (const mode of MODES) {
    describe(`engine messages [${kind}, ${mode.name}]`, () => {
      test("text and binary, client → server and server → client, in order", async () => {
        const srv = await startServer(kind);
        try {
          const engine = new EngineSocket(srv.url, {
            platform: nodePlatform(),
            path: "/socket.io",
            transports: mode.transports,
            upgrade: mode.upgrade,
          });
          await once(engine, "open");
          if (mode.upgrade) await once(engine, "upgrade");
          const conn = await srv.nextConnection();
          const gotBinary = srv.nextEvent<[Uint8Array, Uint8Array]>("bin");
          const atServer: unknown[] = [];
          conn.on("message", (data: unknown) => atServer.push(data));
          // Valid Socket.IO packets (both servers parse what they receive): CONNECT, an EVENT
          // with text, then a BINARY_EVENT whose two attachments travel as binary messages.
          const connected = once<[string]>(engine, "message");
          engine.send("0");
          // Events only after the CONNECT reply, as the official client does.
          assert.match((await connected)[0], /^0\{"sid"/);
          engine.send('2["text","héllo ☃"]');
          engine.send('52-["bin",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
          engine.send(new Uint8Array([1, 2, 3, 255]));
          engine.send(new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 3));
          while (atServer.length < 5) await once(conn, "message");
          assert.equal(atServer[1], '2["text","héllo ☃"]');
          assert.deepEqual([...new Uint8Array(atServer[3] as Uint8Array)], [1, 2, 3, 255]);
          assert.deepEqual([...new Uint8Array(atServer[4] as Uint8Array)], [8, 7]);
          const [a, b] = await gotBinary;
          assert.deepEqual([...a], [1, 2, 3, 255]);
          assert.deepEqual([...b], [8, 7]);

          const atClient: (string | ArrayBuffer)[] = [];
          engine.on("message", (data) => atClient.push(data));
          conn.send("world ✓");
          conn.send(Buffer.from([4, 5, 6]));
          while (atClient.length < 2) await once(engine, "message");
          assert.equal(atClient[0], "world ✓");
          assert.ok(atClient[1] instanceof ArrayBuffer);
          assert.deepEqual([...new Uint8Array(atClient[1])], [4, 5, 6]);
          engine.close();
        } finally {
          await srv.close();
        }
      });
    });
  }
}
