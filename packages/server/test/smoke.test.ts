import { test } from "node:test";
import assert from "node:assert/strict";
import { once, startServer } from "./support/servers.js";

for (const transports of [["websocket"], ["polling"], ["polling", "websocket"]] as const) {
  test(`official client connects and gets an ack over ${transports.join("+")}`, async () => {
    const srv = await startServer();
    try {
      srv.io.on("connection", (socket) => {
        socket.on("echo", (value: unknown, ack: (v: unknown) => void) => ack(value));
      });
      const c = srv.client("/", { transports: [...transports] });
      await once(c, "connect");
      assert.deepEqual(await c.emitWithAck("echo", { a: [1, "b"] }), { a: [1, "b"] });
    } finally {
      await srv.close();
    }
  });
}
