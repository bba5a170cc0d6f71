/**
 * `retries`: a queue sent one packet at a time, in order, each resent with the same ack id until
 * acknowledged. Against omnio a resend never reaches the handler twice (the server answers it
 * from its ack cache); against socket.io 4.8.4, delivery is at least once.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { ClientError } from "@omnio/client";
import { io } from "@omnio/client/node";
import { SERVER_KINDS, once, sleep } from "./support/servers.js";
import { MODES, startSio, until } from "./support/sio.js";

type Ack = (...args: unknown[]) => void;

for (const kind of SERVER_KINDS) {
  for (const mode of MODES) {
    describe(`socket retries [${kind}, ${mode.name}]`, () => {
      const base = {
        transports: mode.transports,
        upgrade: mode.upgrade,
        reconnectionDelay: 20,
        reconnectionDelayMax: 50,
      };

      test("the server drops the connection mid-ack: the client still gets the ack", async () => {
        const srv = await startSio(kind);
        try {
          let calls = 0;
          srv.io.on("connection", (s: any) => {
            s.on("pay", (amount: number, ack: Ack) => {
              calls++;
              // First attempt: the connection goes away before the answer can be written.
              if (calls === 1) s.conn.close();
              ack(calls === 1 ? "paid (first run)" : "paid (again)", amount);
            });
          });
          const socket = io(srv.url, { ...base, retries: 3, ackTimeout: 3000 });
          await once(socket, "connect");
          const disconnect = once<[string]>(socket, "disconnect");
          const answer = new Promise<unknown[]>((resolve) =>
            socket.emit("pay", 10, (...args: unknown[]) => resolve(args)),
          );
          assert.equal((await disconnect)[0], "transport close");
          const [err, text, amount] = await answer;
          assert.equal(err, null);
          assert.equal(amount, 10);
          if (kind === "omnio") {
            // Exactly once: the resend was answered from the server's ack cache.
            assert.equal(calls, 1);
            assert.equal(text, "paid (first run)");
          } else {
            // socket.io: at least once.
            assert.ok(calls >= 2);
            assert.equal(text, "paid (again)");
          }
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });

      test("one packet in flight at a time, in order, across a reconnection", async () => {
        const srv = await startSio(kind);
        try {
          const received: number[] = [];
          let running = 0;
          let maxRunning = 0;
          let dropped = false;
          srv.io.on("connection", (s: any) => {
            s.on("n", (n: number, ack: Ack) => {
              received.push(n);
              running++;
              maxRunning = Math.max(maxRunning, running);
              setTimeout(() => {
                running--;
                if (n === 2 && !dropped) {
                  dropped = true;
                  s.conn.close();
                }
                ack(n);
              }, 5);
            });
          });
          const socket = io(srv.url, { ...base, retries: 5 });
          await once(socket, "connect");
          const answers: unknown[] = [];
          for (let n = 0; n < 6; n++) socket.emit("n", n, (err: unknown, v: unknown) => answers.push(err ?? v));
          await until(() => answers.length === 6, 5000, "6 answers");
          assert.deepEqual(answers, [0, 1, 2, 3, 4, 5]);
          assert.equal(maxRunning, 1);
          // n = 2 was answered on a closed connection: resent, and on socket.io handled twice.
          if (kind === "omnio") assert.deepEqual(received, [0, 1, 2, 3, 4, 5]);
          else assert.deepEqual(received, [0, 1, 2, 2, 3, 4, 5]);
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });

      test("ack timeout: resent with the same ack id; a late answer of the first attempt settles it", async () => {
        const srv = await startSio(kind);
        try {
          let calls = 0;
          srv.io.on("connection", (s: any) => {
            s.on("slow", (ack: Ack) => {
              calls++;
              setTimeout(() => ack("done"), 150);
            });
          });
          const socket = io(srv.url, { ...base, retries: 3, ackTimeout: 60 });
          await once(socket, "connect");
          const result = await socket.emitWithAck("slow");
          assert.equal(result, "done");
          // omnio: the resends (same ack id) wait for the running handler's answer.
          if (kind === "omnio") assert.equal(calls, 1);
          else assert.ok(calls >= 2);
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });

      test("retries exhausted → ACK_TIMEOUT, then the queue moves on", async () => {
        const srv = await startSio(kind);
        try {
          let silentCalls = 0;
          srv.io.on("connection", (s: any) => {
            s.on("silent", () => silentCalls++);
            s.on("echo", (v: unknown, ack: Ack) => ack(v));
          });
          const socket = io(srv.url, { ...base, retries: 2, ackTimeout: 40 });
          await once(socket, "connect");
          const failed = socket.emitWithAck("silent");
          const next = socket.emitWithAck("echo", "after");
          await assert.rejects(failed, (err: unknown) => err instanceof ClientError && err.code === "ACK_TIMEOUT");
          assert.equal(await next, "after");
          // 3 sends (1 + 2 retries); omnio runs the handler once, socket.io each time.
          assert.equal(silentCalls, kind === "omnio" ? 1 : 3);
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });
    });
  }

  describe(`socket retries and the send buffer [${kind}]`, () => {
    test("the queue obeys the sendBuffer limits; volatile emits bypass it", async () => {
      const srv = await startSio(kind);
      try {
        const received: unknown[] = [];
        srv.io.on("connection", (s: any) => {
          s.on("n", (n: unknown, ack?: Ack) => {
            received.push(n);
            ack?.(n);
          });
        });
        const socket = io(srv.url, {
          transports: ["websocket"],
          autoConnect: false,
          reconnection: false,
          retries: 1,
          sendBuffer: { maxPackets: 2 },
        });
        const errors: unknown[] = [];
        socket.emit("n", 0, (err: unknown) => errors.push(err));
        socket.emit("n", 1);
        socket.emit("n", 2);
        socket.volatile.emit("n", "volatile, dropped while disconnected");
        assert.equal((errors[0] as ClientError).code, "SEND_BUFFER_OVERFLOW");
        socket.connect();
        await until(() => received.length === 2, 3000, "2 events");
        await sleep(30);
        assert.deepEqual(received, [1, 2]);
        socket.volatile.emit("n", "volatile");
        await until(() => received.length === 3, 3000, "volatile event");
        socket.disconnect();
      } finally {
        await srv.close();
      }
    });
  });
}
