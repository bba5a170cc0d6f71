/** The heartbeat watchdog on a fake clock: wall-clock deadlines, no false timeout after a wake-up. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EngineSocket, WAKE_GRACE_MS } from "@omnio/client";
import { FakePlatform, type FakeConnection } from "./support/fake-platform.js";

const HANDSHAKE = '0{"sid":"abc","upgrades":[],"pingInterval":1000,"pingTimeout":500,"maxPayload":100000}';

function connect(): { platform: FakePlatform; engine: EngineSocket; conn: FakeConnection; closes: string[] } {
  const platform = new FakePlatform();
  const engine = new EngineSocket("http://example.test", { platform, transports: ["websocket"] });
  const closes: string[] = [];
  engine.on("close", (reason) => closes.push(reason));
  const conn = platform.connections[0]!;
  conn.handlers.onOpen();
  conn.handlers.onMessage(HANDSHAKE);
  assert.equal(engine.readyState, "open");
  return { platform, engine, conn, closes };
}

test("pings keep the connection alive; each ping is answered with a pong", () => {
  const { platform, conn, closes } = connect();
  for (let i = 0; i < 10; i++) {
    platform.advance(1000);
    conn.handlers.onMessage("2");
  }
  assert.deepEqual(closes, []);
  assert.equal(conn.sent.filter((f) => f === "3").length, 10);
});

test("an awake host times out exactly at pingInterval + pingTimeout", () => {
  const { platform, closes, engine } = connect();
  platform.advance(1499);
  assert.deepEqual(closes, []);
  platform.advance(2);
  assert.deepEqual(closes, ["ping timeout"]);
  assert.equal(engine.readyState, "closed");
});

test("a late timer after a suspension gives queued pings a grace period (no false timeout)", () => {
  const { platform, conn, closes } = connect();
  platform.suspend(60_000);
  platform.wake(); // the watchdog timer fires one minute late
  assert.deepEqual(closes, []);
  conn.handlers.onMessage("2"); // the ping that was queued while suspended
  platform.advance(WAKE_GRACE_MS + 100);
  assert.deepEqual(closes, []);
});

test("after a suspension with no ping at all, the timeout follows within the grace period", () => {
  const { platform, closes } = connect();
  platform.suspend(60_000);
  platform.wake();
  assert.deepEqual(closes, []);
  platform.advance(WAKE_GRACE_MS);
  assert.deepEqual(closes, ["ping timeout"]);
});

test("a visibility wake-up re-checks the deadline without waiting for the throttled timer", () => {
  const { platform, closes } = connect();
  platform.suspend(10_000);
  platform.visibility(true);
  assert.deepEqual(closes, []);
  platform.advance(WAKE_GRACE_MS);
  assert.deepEqual(closes, ["ping timeout"]);
});

test("hasPingExpired reflects the wall-clock deadline", () => {
  const { platform, engine } = connect();
  assert.equal(engine.hasPingExpired(), false);
  platform.suspend(1600);
  assert.equal(engine.hasPingExpired(), true);
});
