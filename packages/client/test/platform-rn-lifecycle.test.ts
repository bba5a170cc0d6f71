/**
 * React Native lifecycle and binary quirks on the simulated host: AppState background/foreground
 * and NetInfo offline/online lead to an immediate close / reconnect (with a control run that
 * shows the same faults without the signals are not noticed in that time), Blob-delivered binary
 * arrives complete and in order, and the lifecycle mapping itself.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { io, createReactNativePlatform } from "@omnio/client/react-native";
import { RNBlob } from "./hosts-rn/rn-blob.js";
import { createRNHost, type RNHost } from "./hosts-rn/rn-host.js";
import { SERVER_KINDS, once, sleep } from "./support/servers.js";
import { nextServerSocket, startSio, until } from "./support/sio.js";

/** Long enough that only a lifecycle signal can explain a reconnection within the test's bounds. */
const SLOW = { reconnectionDelay: 10_000, reconnectionDelayMax: 10_000, randomizationFactor: 0 };

function platformFor(host: RNHost, signals: boolean) {
  return createReactNativePlatform({
    globals: host.globals,
    ...(signals ? { appState: host.AppState, netInfo: host.NetInfo } : {}),
  });
}

for (const kind of SERVER_KINDS) {
  describe(`react-native lifecycle [${kind}]`, () => {
    for (const signals of [true, false]) {
      test(`background kill, then foreground → ${signals ? "reconnects at once (AppState)" : "waits for the backoff (no AppState: control)"}`, async () => {
        const srv = await startSio(kind);
        const host = createRNHost();
        try {
          const socket = io(srv.url, { transports: ["websocket"], ...SLOW, platform: platformFor(host, signals) });
          await once(socket, "connect");
          const firstId = socket.id;
          const disconnect = once<[string]>(socket, "disconnect");
          host.background({ kill: true });
          assert.equal((await disconnect)[0], "transport error");
          await sleep(100);
          assert.equal(socket.connected, false);
          const attempts: number[] = [];
          socket.io.on("reconnect_attempt", (n) => attempts.push(n));
          const foregroundAt = Date.now();
          host.foreground();
          if (signals) {
            await once(socket, "connect", 3000);
            assert.ok(Date.now() - foregroundAt < 3000, "well before the 10 s backoff");
            assert.deepEqual(attempts, [1]);
            assert.notEqual(socket.id, firstId);
          } else {
            await sleep(1500);
            assert.equal(socket.connected, false, "nothing reconnects before the 10 s delay");
            assert.deepEqual(attempts, []);
          }
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });

      test(`network lost on a hanging link → ${signals ? "closed at once, reconnected when back (NetInfo)" : "not noticed (no NetInfo: control)"}`, async () => {
        const srv = await startSio(kind);
        const host = createRNHost();
        try {
          const serverSide = nextServerSocket(srv.io);
          const socket = io(srv.url, { transports: ["websocket"], ...SLOW, platform: platformFor(host, signals) });
          await once(socket, "connect");
          await serverSide;
          await sleep(50); // NetInfo's first report (the baseline) has arrived
          const reasons: [string, unknown][] = [];
          socket.on("disconnect", (reason, details) => reasons.push([reason, details]));
          host.goOffline();
          if (!signals) {
            // The link hangs: only the heartbeat (25 s + 20 s by default) would find out.
            await sleep(1000);
            assert.equal(socket.connected, true);
            assert.deepEqual(reasons, []);
            socket.disconnect();
            return;
          }
          await until(() => reasons.length === 1, 1000, "an immediate disconnect");
          assert.equal(reasons[0]?.[0], "transport close");
          assert.deepEqual(reasons[0]?.[1], { description: "network connection lost" });
          socket.emit("while-offline", 1); // buffered until the reconnection
          const buffered = new Promise<unknown[]>((resolve) =>
            srv.io.once("connection", (s: any) => s.once("while-offline", (...args: unknown[]) => resolve(args))),
          );
          const again = nextServerSocket(srv.io);
          const backAt = Date.now();
          host.goOnline();
          await once(socket, "connect", 3000);
          assert.ok(Date.now() - backAt < 3000, "well before the 10 s backoff");
          assert.equal((await again).id, socket.id);
          assert.deepEqual(await buffered, [1]);
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });
    }

    test("binary delivered as Blobs (read out of order by FileReader) arrives complete and in order", async () => {
      const srv = await startSio(kind);
      const host = createRNHost({ binaryMode: "blob" });
      try {
        const serverSide = nextServerSocket(srv.io);
        const socket = io(srv.url, {
          transports: ["websocket"],
          reconnection: false,
          platform: platformFor(host, true),
        });
        await once(socket, "connect");
        const s = await serverSide;
        const got: unknown[] = [];
        socket.onAny((event: string, ...args: unknown[]) => got.push([event, ...args]));
        for (let i = 0; i < 8; i++) {
          if (i % 3 === 2) s.emit("text", i);
          else s.emit("bin", i, Buffer.from([i, i + 1]), { more: Buffer.from([100 + i]) });
        }
        await until(() => got.length === 8, 5000, "8 events");
        for (let i = 0; i < 8; i++) {
          const entry = got[i] as unknown[];
          if (i % 3 === 2) {
            assert.deepEqual(entry, ["text", i]);
            continue;
          }
          const [event, n, buf, nested] = entry as [string, number, ArrayBuffer, { more: ArrayBuffer }];
          assert.equal(event, "bin");
          assert.equal(n, i);
          assert.ok(buf instanceof ArrayBuffer);
          assert.deepEqual([...new Uint8Array(buf)], [i, i + 1]);
          assert.deepEqual([...new Uint8Array(nested.more)], [100 + i]);
        }
        // And the other way: a view and an RN Blob (read through FileReader) are sent as binary, in order.
        const ups: number[][] = [];
        s.on("up", (b: Buffer) => ups.push([...b]));
        socket.emit("up", new RNBlob(new Uint8Array([1, 2])));
        socket.emit("up", new Uint8Array([5, 6, 7]));
        await until(() => ups.length === 2, 3000, "two uploads");
        assert.deepEqual(ups, [
          [1, 2],
          [5, 6, 7],
        ]);
        socket.disconnect();
      } finally {
        await srv.close();
      }
    });

    test("a Blob the host cannot read (no FileReader, RN < 0.73.1) ends the connection with a transport error", async () => {
      const srv = await startSio(kind);
      const host = createRNHost({ binaryMode: "blob", fileReader: false });
      try {
        const serverSide = nextServerSocket(srv.io);
        const socket = io(srv.url, {
          transports: ["websocket"],
          reconnection: false,
          platform: platformFor(host, false),
        });
        await once(socket, "connect");
        const s = await serverSide;
        const disconnect = once<[string]>(socket, "disconnect");
        s.emit("bin", Buffer.from([1]));
        assert.equal((await disconnect)[0], "transport error");
      } finally {
        await srv.close();
      }
    });
  });
}

describe("react-native lifecycle mapping", () => {
  test("AppState: active ↔ background reported once each; inactive and repeats ignored; unsubscribe removes", async () => {
    const host = createRNHost();
    const lifecycle = platformFor(host, true).lifecycle!;
    const seen: boolean[] = [];
    const off = lifecycle.onVisibilityChange!((visible) => seen.push(visible));
    for (const state of ["inactive", "background", "background", "inactive", "active", "active"] as const) {
      host.AppState.set(state);
      await sleep(2);
    }
    assert.deepEqual(seen, [false, true]);
    off();
    assert.equal(host.AppState.listenerCount, 0);
  });

  test("AppState of RN < 0.65 (no subscription object): removeEventListener is used", () => {
    const listeners = new Set<(s: string) => void>();
    const legacy = {
      currentState: "active",
      addEventListener: (_: "change", fn: (s: string) => void) => void listeners.add(fn),
      removeEventListener: (_: "change", fn: (s: string) => void) => void listeners.delete(fn),
    };
    const host = createRNHost();
    const lifecycle = createReactNativePlatform({ globals: host.globals, appState: legacy }).lifecycle!;
    const seen: boolean[] = [];
    const off = lifecycle.onVisibilityChange!((v) => seen.push(v));
    for (const fn of listeners) fn("background");
    assert.deepEqual(seen, [false]);
    off();
    assert.equal(listeners.size, 0);
  });

  test("NetInfo: the first report is the baseline; changes of isConnected are reported, repeats and null are not", async () => {
    const host = createRNHost();
    const lifecycle = platformFor(host, true).lifecycle!;
    const seen: boolean[] = [];
    const off = lifecycle.onNetworkChange!((online) => seen.push(online));
    await sleep(2);
    assert.deepEqual(seen, [], "the initial report is not a change");
    host.NetInfo.set(true, "cellular");
    await sleep(2);
    host.NetInfo.set(false);
    await sleep(2);
    host.NetInfo.set(false);
    await sleep(2);
    host.NetInfo.set(true);
    await sleep(2);
    assert.deepEqual(seen, [false, true]);
    off();
    assert.equal(host.NetInfo.listenerCount, 0);
  });

  test("no AppState/NetInfo → no lifecycle; crypto.getRandomValues (a polyfill) → randomBytes", () => {
    const host = createRNHost();
    assert.equal(createReactNativePlatform({ globals: host.globals }).lifecycle, undefined);
    assert.equal(createReactNativePlatform({ globals: host.globals }).randomBytes, undefined);
    const withCrypto = createReactNativePlatform({ globals: { ...host.globals, crypto: globalThis.crypto } });
    const bytes = withCrypto.randomBytes!(16);
    assert.equal(bytes.length, 16);
    assert.equal(withCrypto.name, "react-native");
  });
});
