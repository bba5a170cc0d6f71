/** Fault injection: dropped and refused connections → reconnection with exponential backoff and jitter. */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { io } from "@omnio/client/node";
import { SERVER_KINDS, once } from "./support/servers.js";
import { MODES, nextServerSocket, until } from "./support/sio.js";
import { delayReportingPlatform, scriptedRandom, startProxiedSio } from "./support/fault.js";

const MIN = 40;
const FACTOR = 0.5;
/** Random values whose tenths digit alternates parity, so the jitter goes both ways. */
const RANDOM = [0.37, 0.82, 0.15, 0.64, 0.93, 0.28];

for (const kind of SERVER_KINDS) {
  describe(`fault: drop and refuse [${kind}]`, () => {
    test("drop() while refusing → reconnect_attempt delays double, with the injected jitter, then reconnect", async () => {
      const { proxy, close } = await startProxiedSio(kind);
      const { platform, runningDelay } = delayReportingPlatform();
      const rnd = scriptedRandom(RANDOM);
      const socket = io(proxy.url, {
        platform,
        transports: ["websocket"],
        reconnectionDelay: MIN,
        reconnectionDelayMax: 10_000,
        randomizationFactor: FACTOR,
        random: rnd.random,
      });
      try {
        await once(socket, "connect");
        const attempts: { n: number; delay: number | undefined }[] = [];
        const errors: Error[] = [];
        socket.io.on("reconnect_attempt", (n) => attempts.push({ n, delay: runningDelay() }));
        socket.io.on("reconnect_error", (error) => errors.push(error));
        const disconnected = once<[string]>(socket, "disconnect");
        proxy.refuse();
        proxy.drop();
        assert.equal((await disconnected)[0], "transport close");
        await until(() => errors.length >= 4, 5000, "4 reconnect_error events");
        const reconnected = once<[number]>(socket.io, "reconnect", 5000);
        proxy.accept();
        const [attempt] = await reconnected;
        await until(() => socket.connected, 3000, "socket connected");

        assert.equal(attempt, attempts.length);
        assert.deepEqual(
          attempts.map((a) => a.n),
          attempts.map((_, i) => i + 1),
        );
        // Each delay is MIN·2^(n-1) moved by ± floor(r·FACTOR·nominal), r the injected value.
        const expected = attempts.map((_, i) => {
          const nominal = MIN * 2 ** i;
          const r = RANDOM[i % RANDOM.length]!;
          const deviation = Math.floor(r * FACTOR * nominal);
          return (Math.floor(r * 10) & 1) === 0 ? nominal - deviation : nominal + deviation;
        });
        const delays = attempts.map((a) => a.delay);
        assert.deepEqual(delays, expected);
        // Randomised (not the bare nominal values) and growing on the whole.
        assert.ok(delays.some((d, i) => d !== MIN * 2 ** i));
        assert.ok(delays[delays.length - 1]! > delays[0]! * 4, `delays ${delays.join(",")}`);
        assert.equal(rnd.calls(), attempts.length, "one random draw per delay");
        assert.ok(errors.length >= attempts.length - 1);
        assert.ok(proxy.refused >= 4);
      } finally {
        socket.disconnect();
        await close();
      }
    });

    for (const mode of MODES) {
      test(`[${mode.name}] refuse() during the reconnection → reconnect_error and connect_error, then success once accepting`, async () => {
        const { srv, proxy, close } = await startProxiedSio(kind);
        const socket = io(proxy.url, {
          transports: mode.transports,
          upgrade: mode.upgrade,
          reconnectionDelay: 20,
          reconnectionDelayMax: 80,
        });
        try {
          await once(socket, "connect");
          const firstId = socket.id;
          const reconnectErrors: Error[] = [];
          const connectErrors: Error[] = [];
          socket.io.on("reconnect_error", (e) => reconnectErrors.push(e));
          socket.on("connect_error", (e) => connectErrors.push(e));
          const disconnected = once(socket, "disconnect");
          // Polling reuses keep-alive connections: drop them all so every attempt meets the refusal.
          proxy.refuse();
          proxy.drop();
          await disconnected;
          await until(() => reconnectErrors.length >= 3, 5000, "3 reconnect_error events");
          assert.equal(socket.connected, false);
          assert.equal(socket.active, true);
          assert.ok(connectErrors.length >= 3, `connect_error × ${connectErrors.length}`);
          const reconnected = once(socket, "connect", 5000);
          const second = nextServerSocket(srv.io);
          proxy.accept();
          await reconnected;
          const s = await second;
          assert.notEqual(socket.id, firstId);
          s.on("echo", (v: string, ack: (v: string) => void) => ack(v));
          assert.equal(await socket.timeout(3000).emitWithAck("echo", "back"), "back");
        } finally {
          socket.disconnect();
          await close();
        }
      });
    }
  });
}
