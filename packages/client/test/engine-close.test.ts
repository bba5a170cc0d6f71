/** Close reasons (socket.io-client's strings) against real servers. */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { EngineError, EngineSocket, type TransportName } from "@omnio/client";
import { SERVER_KINDS, nodePlatform, once, startServer } from "./support/servers.js";

async function unusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

for (const kind of SERVER_KINDS) {
  describe(`engine close [${kind}]`, () => {
    for (const transport of ["polling", "websocket"] as TransportName[]) {
      test(`[${transport}] close() → "forced close"; the server sees the client leave`, async () => {
        const srv = await startServer(kind);
        try {
          const engine = new EngineSocket(srv.url, {
            platform: nodePlatform(),
            path: "/socket.io",
            transports: [transport],
          });
          await once(engine, "open");
          const conn = await srv.nextConnection();
          const serverClosed = once<[string]>(conn, "close");
          const clientClosed = once<[string]>(engine, "close");
          engine.close();
          assert.deepEqual((await clientClosed)[0], "forced close");
          assert.equal((await serverClosed)[0], "transport close");
        } finally {
          await srv.close();
        }
      });

      test(`[${transport}] the server closing → "transport close"`, async () => {
        const srv = await startServer(kind);
        try {
          const engine = new EngineSocket(srv.url, {
            platform: nodePlatform(),
            path: "/socket.io",
            transports: [transport],
          });
          await once(engine, "open");
          const conn = await srv.nextConnection();
          const clientClosed = once<[string]>(engine, "close");
          conn.close();
          assert.equal((await clientClosed)[0], "transport close");
          assert.equal(engine.readyState, "closed");
          assert.equal(engine.id, undefined);
        } finally {
          await srv.close();
        }
      });

      test(`[${transport}] close() flushes queued packets first`, async () => {
        const srv = await startServer(kind);
        try {
          const engine = new EngineSocket(srv.url, {
            platform: nodePlatform(),
            path: "/socket.io",
            transports: [transport],
          });
          await once(engine, "open");
          const conn = await srv.nextConnection();
          const got: string[] = [];
          conn.on("message", (d: string) => got.push(d));
          const serverClosed = once(conn, "close");
          engine.send("0").send('2["a"]').close();
          await serverClosed;
          assert.deepEqual(got, ["0", '2["a"]']);
        } finally {
          await srv.close();
        }
      });
    }
  });
}

describe("engine close without a server", () => {
  for (const transport of ["polling", "websocket"] as TransportName[]) {
    test(`[${transport}] an unreachable server → error then "transport error"`, async () => {
      const port = await unusedPort();
      const engine = new EngineSocket(`http://127.0.0.1:${port}`, {
        platform: nodePlatform(),
        transports: [transport],
      });
      const errored = once<[EngineError]>(engine, "error");
      const [reason, details] = await once<[string, unknown]>(engine, "close");
      const [error] = await errored;
      assert.equal(reason, "transport error");
      assert.ok(error instanceof EngineError);
      assert.equal(error.code, transport === "polling" ? "POLLING_ERROR" : "WEBSOCKET_ERROR");
      assert.equal(error.message, transport === "polling" ? "xhr poll error" : "websocket error");
      assert.equal(details, error);
    });
  }
});
