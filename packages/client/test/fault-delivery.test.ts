/** Fault injection: what was sent while the link was down arrives once, in order (send buffer; connection state recovery). */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { io } from "@omnio/client/node";
import { SERVER_KINDS, once, sleep } from "./support/servers.js";
import { MODES, nextServerSocket, until } from "./support/sio.js";
import { startProxiedSio } from "./support/fault.js";

for (const kind of SERVER_KINDS) {
  for (const mode of MODES) {
    describe(`fault: delivery across a dropped link [${kind}, ${mode.name}]`, () => {
      const base = {
        transports: mode.transports,
        upgrade: mode.upgrade,
        reconnectionDelay: 20,
        reconnectionDelayMax: 80,
      };

      test("events emitted while disconnected are delivered once after the reconnection, none twice", async () => {
        const { srv, proxy, close } = await startProxiedSio(kind);
        const counts = new Map<number, number>();
        const order: number[] = [];
        srv.io.on("connection", (s: any) => {
          s.on("n", (n: number) => {
            counts.set(n, (counts.get(n) ?? 0) + 1);
            order.push(n);
          });
          s.on("sync", (ack: () => void) => ack());
        });
        const socket = io(proxy.url, base);
        try {
          await once(socket, "connect");
          for (let i = 0; i < 3; i++) socket.emit("n", i);
          await until(() => order.length === 3, 3000, "3 events before the drop");
          const disconnected = once(socket, "disconnect");
          proxy.refuse();
          proxy.drop();
          await disconnected;
          for (let i = 3; i < 13; i++) socket.emit("n", i);
          await until(() => proxy.refused >= 2, 5000, "refused reconnection attempts");
          for (let i = 13; i < 16; i++) socket.emit("n", i);
          proxy.accept();
          await once(socket, "connect", 5000);
          await socket.timeout(3000).emitWithAck("sync");
          await sleep(100); // a late duplicate would show up here
          assert.deepEqual(
            order,
            Array.from({ length: 16 }, (_, i) => i),
          );
          assert.ok([...counts.values()].every((c) => c === 1));
        } finally {
          socket.disconnect();
          await close();
        }
      });

      for (const policy of ["drop-oldest", "drop-newest"] as const) {
        test(`bounded send buffer (maxPackets 4, ${policy}) while the link is down: the kept emits arrive once, the others fail with SEND_BUFFER_OVERFLOW`, async () => {
          const { srv, proxy, close } = await startProxiedSio(kind);
          const order: number[] = [];
          srv.io.on("connection", (s: any) => {
            s.on("n", (n: number, ack: (n: number) => void) => {
              order.push(n);
              ack(n);
            });
          });
          const socket = io(proxy.url, { ...base, sendBuffer: { maxPackets: 4, policy } });
          try {
            await once(socket, "connect");
            const disconnected = once(socket, "disconnect");
            proxy.refuse();
            proxy.drop();
            await disconnected;
            const results = new Map<number, string>();
            for (let i = 0; i < 7; i++) {
              socket.timeout(5000).emit("n", i, (err: Error | null, n?: number) => {
                results.set(i, err === null ? `ok ${n}` : String((err as { code?: unknown }).code));
              });
            }
            proxy.accept();
            await once(socket, "connect", 5000);
            await until(() => results.size === 7, 5000, "7 ack outcomes");
            const kept = policy === "drop-oldest" ? [3, 4, 5, 6] : [0, 1, 2, 3];
            await sleep(100); // a late duplicate would show up here
            assert.deepEqual(order, kept);
            for (let i = 0; i < 7; i++) {
              assert.equal(results.get(i), kept.includes(i) ? `ok ${i}` : "SEND_BUFFER_OVERFLOW", `emit ${i}`);
            }
          } finally {
            socket.disconnect();
            await close();
          }
        });
      }

      test("connection state recovery: broadcasts sent while the link was dropped arrive in order, once", async () => {
        // Short heartbeat: the server must notice the dead link (a polling one only by ping timeout) before broadcasting.
        const { srv, proxy, close } = await startProxiedSio(kind, {
          connectionStateRecovery: { maxDisconnectionDuration: 10_000 },
          pingInterval: 300,
          pingTimeout: 200,
        });
        const socket = io(proxy.url, base);
        const got: string[] = [];
        socket.on("news", (text: string) => got.push(text));
        try {
          const first = nextServerSocket(srv.io);
          await once(socket, "connect");
          const s = await first;
          const firstId = socket.id;
          srv.io.emit("news", "before"); // gives the client an offset
          await until(() => got.length === 1, 3000, "first broadcast");
          const serverGone = new Promise((resolve) => s.once("disconnect", resolve));
          proxy.refuse();
          proxy.drop();
          await serverGone;
          for (let i = 1; i <= 5; i++) srv.io.emit("news", `missed-${i}`);
          await until(() => proxy.refused >= 1, 5000, "a refused reconnection attempt");
          proxy.accept();
          await once(socket, "connect", 5000);
          assert.equal(socket.recovered, true);
          assert.equal(socket.id, firstId);
          srv.io.emit("news", "after");
          await until(() => got.length >= 7, 3000, "missed and new broadcasts");
          await sleep(100);
          assert.deepEqual(got, ["before", "missed-1", "missed-2", "missed-3", "missed-4", "missed-5", "after"]);
        } finally {
          socket.disconnect();
          await close();
        }
      });
    });
  }
}
