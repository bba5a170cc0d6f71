/**
 * Lifecycle on the simulated hosts (issue 4 "Lifecycle"): the WeChat background kill recovered
 * on show with an immediate reconnect (backoff reset) and no buffered event lost or doubled;
 * network off → immediate close, on → immediate reconnect (frozen timers and the wall-clock
 * heartbeat: platform-mp-heartbeat.test.ts).
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { SERVER_KINDS, once, sleep } from "./support/servers.js";
import { startSio, until } from "./support/sio.js";
import { HOSTS, hostFlavour } from "./hosts/matrix.js";
import { openFlavourClient } from "./hosts/flavour-client.js";

/** Reconnection delays long enough that only a lifecycle wake-up explains a quick reconnect. */
const SLOW_BACKOFF = { reconnectionDelay: 4000, reconnectionDelayMax: 10_000, randomizationFactor: 0 };

for (const flavour of HOSTS.filter((h) => h.appEvents)) {
  for (const kind of SERVER_KINDS) {
    test(`[${flavour.name}, ${kind}] background kill → show → immediate reconnect, buffered emits delivered once in order`, async () => {
      const srv = await startSio(kind);
      const { host, socket } = openFlavourClient(flavour, srv.url, SLOW_BACKOFF, { backgroundKillMs: 100 });
      try {
        const seen: number[] = [];
        srv.io.on("connection", (s: any) => s.on("n", (n: number) => seen.push(n)));
        await once(socket, "connect");
        const firstId = socket.id;
        const down = once<[string]>(socket, "disconnect");
        host.state.background();
        assert.equal((await down)[0], "transport close", "killed ~100 ms after hide");
        for (let i = 0; i < 3; i++) socket.emit("n", i);
        await sleep(200);
        assert.equal(socket.connected, false);
        const shownAt = Date.now();
        host.state.foreground();
        await once(socket, "connect", 6000);
        const took = Date.now() - shownAt;
        assert.ok(took < 2500, `reconnected ${took} ms after show (backoff would wait 4000 ms)`);
        assert.notEqual(socket.id, firstId);
        socket.emit("n", 3);
        await until(() => seen.length >= 4, 3000, "4 events");
        await sleep(50);
        assert.deepEqual(seen, [0, 1, 2, 3]);
      } finally {
        socket.disconnect();
        host.state.dispose();
        await srv.close();
      }
    });
  }
}

describe("network status", () => {
  for (const flavour of HOSTS) {
    test(`[${flavour.name}] offline → disconnect at once; online → reconnect at once`, async () => {
      const srv = await startSio("omnio");
      const { host, socket } = openFlavourClient(flavour, srv.url, SLOW_BACKOFF, {});
      try {
        srv.io.on("connection", (s: any) => s.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v)));
        await once(socket, "connect");
        const offAt = Date.now();
        const down = once<[string]>(socket, "disconnect");
        host.state.setNetwork(false);
        assert.equal((await down)[0], "transport close");
        assert.ok(Date.now() - offAt < 5000, "no wait for a ping timeout (45 s by default)");
        await sleep(100);
        const onAt = Date.now();
        host.state.setNetwork(true);
        await once(socket, "connect", 6000);
        assert.ok(Date.now() - onAt < 2500, `reconnected ${Date.now() - onAt} ms after online (backoff 4000 ms)`);
        assert.equal(await socket.timeout(2000).emitWithAck("echo", "back"), "back");
      } finally {
        socket.disconnect();
        host.state.dispose();
        await srv.close();
      }
    });
  }
});

describe("suspended right after show", () => {
  for (const kind of SERVER_KINDS) {
    test(`[wx, ${kind}] the host still refuses as suspended for 300 ms after show → quick retries, connected well before the backoff`, async () => {
      const srv = await startSio(kind);
      const { host, socket } = openFlavourClient(hostFlavour("wx"), srv.url, SLOW_BACKOFF, {
        backgroundKillMs: 50,
        resumeLagMs: 300,
      });
      try {
        await once(socket, "connect");
        const down = once(socket, "disconnect");
        host.state.background();
        await down;
        const errors: unknown[] = [];
        socket.on("connect_error", (e: unknown) => errors.push(e));
        const shownAt = Date.now();
        host.state.foreground();
        await once(socket, "connect", 5000);
        const took = Date.now() - shownAt;
        // Without the retries the first attempt fails and the next waits 2 × 4000 ms.
        assert.ok(took < 3500, `connected ${took} ms after show`);
        assert.deepEqual(errors, [], "the suspended refusals never reached the Manager");
        assert.ok(host.state.connects.length >= 3, `${host.state.connects.length} connectSocket calls`);
      } finally {
        socket.disconnect();
        host.state.dispose();
        await srv.close();
      }
    });
  }
});

describe("lifecycle override", () => {
  test("[uni-h5] no uni.onAppShow: an explicit `lifecycle` (e.g. visibilitychange) wakes the reconnection", async () => {
    const srv = await startSio("omnio");
    const listeners = new Set<(visible: boolean) => void>();
    const lifecycle = {
      onVisibilityChange(listener: (visible: boolean) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const { host, socket } = openFlavourClient(hostFlavour("uni-h5"), srv.url, SLOW_BACKOFF, {}, { lifecycle });
    try {
      await once(socket, "connect");
      const down = once(socket, "disconnect");
      host.state.dropSockets();
      await down;
      await sleep(100);
      const shownAt = Date.now();
      for (const listener of [...listeners]) listener(true);
      await once(socket, "connect", 6000);
      assert.ok(Date.now() - shownAt < 2500, `reconnected ${Date.now() - shownAt} ms after visible (backoff 4000 ms)`);
    } finally {
      socket.disconnect();
      host.state.dispose();
      await srv.close();
    }
  });
});
