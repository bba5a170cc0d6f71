/**
 * Heartbeat on a simulated WeChat host with frozen timers (issue 4 "Lifecycle"): a silent
 * background kill with the JS thread suspended is detected after show as a ping timeout; a wall
 * clock that jumps while timers were held causes no false timeout; a frozen link (fault proxy)
 * is detected within pingInterval + pingTimeout plus the wake grace.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { SERVER_KINDS, once, sleep } from "./support/servers.js";
import { startSio } from "./support/sio.js";
import { startProxiedSio } from "./support/fault.js";
import { hostFlavour } from "./hosts/matrix.js";
import { openFlavourClient } from "./hosts/flavour-client.js";
import { heldTimers } from "./hosts/held-timers.js";

describe("frozen timers and wall-clock heartbeat", () => {
  const wx = hostFlavour("wx");
  for (const kind of SERVER_KINDS) {
    test(`[wx, ${kind}] silent background kill with frozen timers → no event while hidden; ping timeout after show; reconnect`, async () => {
      const srv = await startSio(kind, { pingInterval: 300, pingTimeout: 200 });
      const held = heldTimers();
      const { host, socket } = openFlavourClient(
        wx,
        srv.url,
        { reconnectionDelay: 50, reconnectionDelayMax: 200 },
        { backgroundKillMs: 50, silentKill: true },
        { timers: held.timers },
      );
      try {
        const events: string[] = [];
        await once(socket, "connect");
        socket.on("disconnect", (reason: string) => events.push(reason));
        held.hold();
        host.state.background();
        await sleep(1200);
        assert.deepEqual(events, [], "nothing runs while the app is suspended");
        const down = once<[string]>(socket, "disconnect", 4000);
        held.release();
        host.state.foreground();
        assert.equal((await down)[0], "ping timeout");
        await once(socket, "connect", 4000);
      } finally {
        held.release();
        socket.disconnect();
        host.state.dispose();
        await srv.close();
      }
    });

    test(`[wx, ${kind}] the wall clock jumps 10 s (timers were frozen) → no false ping timeout`, async () => {
      // pingTimeout leaves the server room to get pongs on a loaded machine; the client's deadline
      // (1.3 s) is still far behind the 10 s jump.
      const srv = await startSio(kind, { pingInterval: 300, pingTimeout: 1000 });
      let offset = 0;
      const held = heldTimers();
      const { host, socket } = openFlavourClient(
        wx,
        srv.url,
        {},
        {},
        { now: () => Date.now() + offset, timers: held.timers },
      );
      try {
        const events: string[] = [];
        srv.io.on("connection", (s: any) => s.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v)));
        await once(socket, "connect");
        socket.on("disconnect", (reason: string) => events.push(reason));
        held.hold();
        offset = 10_000;
        await sleep(250);
        held.release();
        await sleep(1200);
        assert.deepEqual(events, [], "pings kept arriving: the late timer is not a dead link");
        assert.equal(await socket.timeout(2000).emitWithAck("echo", "alive"), "alive");
      } finally {
        held.release();
        socket.disconnect();
        host.state.dispose();
        await srv.close();
      }
    });

    test(`[wx, ${kind}] a frozen link is detected within pingInterval + pingTimeout (+ grace), then reconnects`, async () => {
      const { srv, proxy, close } = await startProxiedSio(kind, { pingInterval: 300, pingTimeout: 200 });
      const { host, socket } = openFlavourClient(
        wx,
        proxy.url,
        { reconnectionDelay: 50, reconnectionDelayMax: 200 },
        {},
      );
      try {
        await once(socket, "connect");
        const frozenAt = Date.now();
        const down = once<[string]>(socket, "disconnect", 5000);
        proxy.freeze();
        assert.equal((await down)[0], "ping timeout");
        assert.ok(Date.now() - frozenAt < 300 + 200 + 3000, `detected after ${Date.now() - frozenAt} ms`);
        proxy.resume();
        await once(socket, "connect", 5000);
        assert.ok(srv.engineConnections() >= 2);
      } finally {
        socket.disconnect();
        host.state.dispose();
        await close();
      }
    });
  }
});
