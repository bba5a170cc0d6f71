/**
 * The server-under-a-runtime suite shared by the Bun and Deno test files: the omnio SERVER runs
 * inside the real runtime through its Node adapter, with the official socket.io-client 4.8.4 in
 * Node as the peer: websocket, polling and upgrade; acks with binary, a room broadcast between
 * two clients, and heartbeats; a killed server process is noticed by the clients.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { io, type Socket } from "socket.io-client";
import { findRuntime, type RuntimeName } from "./runtime-harness.js";
import { startRuntimeServer } from "./server-harness.js";
import { once } from "../support/servers.js";

const MODES = [
  { name: "websocket", transports: ["websocket"] },
  { name: "polling", transports: ["polling"] },
  { name: "upgrade", transports: ["polling", "websocket"] },
];

/** Registers the suite for one runtime; `label` is its display name ("Bun"). */
export function describeServerUnder(name: RuntimeName, label: string): void {
  const runtime = findRuntime(name);
  describe(`omnio server under ${label}`, { skip: runtime.skip ?? false }, () => {
    for (const mode of MODES) {
      test(`[${mode.name}] socket.io-client: ack with binary, room broadcast, heartbeat, server killed`, async () => {
        const server = await startRuntimeServer(name, runtime.path!);
        const clients: Socket[] = [];
        try {
          const open = (): Socket => {
            const socket = io(server.url, { transports: mode.transports, forceNew: true, reconnection: false });
            clients.push(socket);
            return socket;
          };
          const [a, b] = [open(), open()];
          await Promise.all([once(a, "connect"), once(b, "connect")]);
          assert.match(String(await a.timeout(3000).emitWithAck("whoami")), new RegExp(`^${name} \\d`));
          const echo = (await a.timeout(3000).emitWithAck("echo", { text: "héllo", bin: Buffer.from([1, 2, 3]) })) as {
            text: string;
            bin: Buffer;
          };
          assert.equal(echo.text, "héllo");
          assert.deepEqual([...echo.bin], [1, 2, 3]);
          const shout = once<[string]>(b, "shout");
          a.emit("shout", "to the room");
          assert.deepEqual(await shout, ["to the room"]);
          if (mode.name === "upgrade") {
            const deadline = Date.now() + 5000;
            while (a.io.engine.transport.name !== "websocket" && Date.now() < deadline)
              await new Promise((r) => setTimeout(r, 20));
            assert.equal(a.io.engine.transport.name, "websocket");
          }
          // pingInterval is 2000 ms on that server: a ping arrives and is answered.
          await once(a.io, "ping", 5000);
          assert.equal(a.connected, true);
          const gone = once<[string]>(a, "disconnect", 10_000);
          await server.stop();
          assert.match((await gone)[0], /^transport (close|error)$/);
        } finally {
          for (const c of clients) c.close();
          await server.stop();
        }
      });
    }
  });
}
