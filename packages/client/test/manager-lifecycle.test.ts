/**
 * Platform lifecycle → reconnection, on a fake clock: offline closes a connected engine at once
 * ("transport close", as engine.io-client on the browser `offline` event), and network back /
 * app visible while the Manager waits between attempts starts an attempt now with a fresh backoff.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Manager } from "@omnio/client";
import { FakePlatform, type FakeConnection } from "./support/fake-platform.js";

const HANDSHAKE = '0{"sid":"e1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":100000}';

interface Setup {
  platform: FakePlatform;
  manager: Manager;
  events: string[];
}

function setup(): Setup {
  const platform = new FakePlatform();
  const manager = new Manager("http://example.test", {
    platform,
    transports: ["websocket"],
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0,
    timeout: false,
  });
  const events: string[] = [];
  manager.on("open", () => events.push("open"));
  manager.on("close", (reason) => events.push(`close:${reason}`));
  manager.on("reconnect_attempt", (n) => events.push(`attempt:${n}`));
  manager.on("reconnect", (n) => events.push(`reconnect:${n}`));
  manager.on("reconnect_error", () => events.push("reconnect_error"));
  return { platform, manager, events };
}

function last(platform: FakePlatform): FakeConnection {
  return platform.connections[platform.connections.length - 1]!;
}

function accept(conn: FakeConnection): void {
  conn.handlers.onOpen();
  conn.handlers.onMessage(HANDSHAKE);
}

/** Connects, then loses the link twice more so the next delay is 4000 ms (attempt 3). */
function intoLongDelay(s: Setup): void {
  accept(last(s.platform));
  last(s.platform).handlers.onClose(1006, "");
  s.platform.advance(1000); // attempt 1
  last(s.platform).handlers.onError(new Error("refused"));
  s.platform.advance(2000); // attempt 2
  last(s.platform).handlers.onError(new Error("refused"));
  assert.deepEqual(s.events, [
    "open",
    "close:transport close",
    "attempt:1",
    "reconnect_error",
    "attempt:2",
    "reconnect_error",
  ]);
  s.events.length = 0;
}

test("network back while waiting 4 s between attempts: attempt now, counted as attempt 1", () => {
  const s = setup();
  intoLongDelay(s);
  const before = s.platform.connections.length;
  s.platform.advance(100);
  assert.equal(s.platform.connections.length, before, "still waiting");
  s.platform.network(true);
  s.platform.advance(0);
  assert.deepEqual(s.events, ["attempt:1"]);
  assert.equal(s.platform.connections.length, before + 1);
  accept(last(s.platform));
  assert.deepEqual(s.events, ["attempt:1", "open", "reconnect:1"]);
  s.manager.close();
});

test("app visible again while waiting: attempt now; the backoff starts over after it fails", () => {
  const s = setup();
  intoLongDelay(s);
  s.platform.visibility(true);
  s.platform.advance(0);
  assert.deepEqual(s.events, ["attempt:1"]);
  last(s.platform).handlers.onError(new Error("refused"));
  const count = s.platform.connections.length;
  s.platform.advance(1999);
  assert.equal(s.platform.connections.length, count, "the next delay is 2000 ms (attempt 2), not 8000");
  s.platform.advance(1);
  assert.deepEqual(s.events, ["attempt:1", "reconnect_error", "attempt:2"]);
  s.manager.close();
});

test("hidden / offline signals and wake-ups outside a reconnection delay change nothing", () => {
  const s = setup();
  intoLongDelay(s);
  s.platform.visibility(false);
  s.platform.advance(0);
  assert.deepEqual(s.events, [], "hidden does not trigger an attempt");
  s.platform.advance(4000); // attempt 3 runs on its own and is in flight
  assert.deepEqual(s.events, ["attempt:3"]);
  const count = s.platform.connections.length;
  s.platform.network(true);
  s.platform.visibility(true);
  s.platform.advance(0);
  assert.equal(s.platform.connections.length, count, "no second connection while one is opening");
  accept(last(s.platform));
  s.platform.network(true);
  s.platform.advance(10_000);
  assert.deepEqual(s.events, ["attempt:3", "open", "reconnect:3"]);
  s.manager.close();
  assert.equal(s.platform.networkListeners.size, 0, "no lifecycle listener left after close");
  assert.equal(s.platform.visibilityListeners.size, 0);
});

test("close() during a delay removes the wake-up listeners; a later online does nothing", () => {
  const s = setup();
  intoLongDelay(s);
  assert.ok(s.platform.networkListeners.size > 0);
  s.manager.close();
  assert.equal(s.platform.networkListeners.size, 0);
  const count = s.platform.connections.length;
  s.platform.network(true);
  s.platform.advance(60_000);
  assert.equal(s.platform.connections.length, count);
});

test("offline closes a connected engine at once with transport close; online reconnects without waiting", () => {
  const s = setup();
  const socket = s.manager.socket("/");
  accept(last(s.platform));
  assert.equal(last(s.platform).sent.at(-1), "40");
  last(s.platform).handlers.onMessage('40{"sid":"s1"}');
  assert.equal(socket.connected, true);
  const disconnects: unknown[][] = [];
  socket.on("disconnect", (reason, description) => disconnects.push([reason, description]));
  s.platform.network(false);
  assert.deepEqual(disconnects, [["transport close", { description: "network connection lost" }]]);
  assert.equal(socket.state, "reconnecting");
  assert.equal(last(s.platform).closed, true);
  s.platform.network(true);
  s.platform.advance(0);
  accept(last(s.platform));
  last(s.platform).handlers.onMessage('40{"sid":"s2"}');
  assert.equal(socket.connected, true);
  assert.equal(socket.id, "s2");
  assert.deepEqual(s.events, ["open", "close:transport close", "attempt:1", "open", "reconnect:1"]);
  socket.disconnect();
});

test("closeOnOffline: false keeps the engine open when the platform reports offline", () => {
  const platform = new FakePlatform();
  const manager = new Manager("http://example.test", { platform, transports: ["websocket"], closeOnOffline: false });
  accept(last(platform));
  platform.network(false);
  assert.equal(manager.engine?.readyState, "open");
  manager.close();
});

test("a platform that reports the current state while subscribing does not cancel the backoff", () => {
  const s = setup();
  const original = s.platform.lifecycle.onNetworkChange;
  s.platform.lifecycle.onNetworkChange = (listener) => {
    listener(true); // e.g. a NetInfo-like API that calls back at once with the current state
    return original(listener);
  };
  intoLongDelay(s);
  const count = s.platform.connections.length;
  s.platform.advance(3999);
  assert.equal(s.platform.connections.length, count, "still waiting the 4 s delay");
  s.platform.advance(1);
  assert.deepEqual(s.events, ["attempt:3"]);
  s.manager.close();
});
