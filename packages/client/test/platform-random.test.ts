/**
 * The platform's `randomBytes` feeds the `retries` ack scope (sent in CONNECT); the Node and
 * browser platforms implement it with their crypto generators, and a platform without it
 * still gets a 128-bit token from `Math.random`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ACK_DEDUP_AUTH_KEY } from "@omnio/protocol";
import { Manager, type Platform } from "@omnio/client";
import { createNodePlatform } from "@omnio/client/node";
import { createBrowserPlatform, type BrowserGlobals } from "@omnio/client/browser";
import { FakePlatform } from "./support/fake-platform.js";

const HANDSHAKE = '0{"sid":"e1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":100000}';

/** Opens a socket with `retries` on `platform` and returns the ack scope of its CONNECT packet. */
function ackScopeSent(platform: FakePlatform): unknown {
  const manager = new Manager("http://example.test", { platform, transports: ["websocket"] });
  manager.socket("/", { retries: 1 });
  const conn = platform.connections[0]!;
  conn.handlers.onOpen();
  conn.handlers.onMessage(HANDSHAKE);
  const frame = conn.sent.find((f) => typeof f === "string" && f.startsWith("40"));
  assert.ok(typeof frame === "string", "a CONNECT packet was sent");
  manager.close();
  return (JSON.parse(frame.slice(2)) as Record<string, unknown>)[ACK_DEDUP_AUTH_KEY];
}

test("the ack scope is the platform's 16 random bytes in hex", () => {
  const platform = new FakePlatform();
  const asked: number[] = [];
  Object.assign(platform, {
    randomBytes(length: number): Uint8Array {
      asked.push(length);
      return Uint8Array.from({ length }, (_, i) => i * 17);
    },
  });
  assert.equal(ackScopeSent(platform), "00112233445566778899aabbccddeeff");
  assert.deepEqual(asked, [16]);
});

test("without randomBytes the scope falls back to Math.random: 32 hex digits, different per socket", () => {
  const a = ackScopeSent(new FakePlatform());
  const b = ackScopeSent(new FakePlatform());
  assert.match(String(a), /^[0-9a-f]{32}$/);
  assert.match(String(b), /^[0-9a-f]{32}$/);
  assert.notEqual(a, b);
});

function checkGenerator(platform: Platform): void {
  assert.ok(platform.randomBytes, `${platform.name} has randomBytes`);
  const a = platform.randomBytes(16);
  const b = platform.randomBytes(16);
  assert.ok(a instanceof Uint8Array);
  assert.equal(a.length, 16);
  assert.equal(platform.randomBytes(3).length, 3);
  assert.notDeepEqual(a, b);
  // 4 KiB of output uses most byte values (a constant or narrow generator would not).
  assert.ok(new Set(platform.randomBytes(4096)).size > 200);
}

test("the Node platform draws from node:crypto", () => {
  checkGenerator(createNodePlatform());
});

test("the browser platform draws from crypto.getRandomValues, and has none without Web Crypto", () => {
  let calls = 0;
  const globals: BrowserGlobals = {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    crypto: {
      getRandomValues: (array) => {
        calls++;
        return globalThis.crypto.getRandomValues(array);
      },
    },
  };
  checkGenerator(createBrowserPlatform({ globals }));
  assert.equal(calls, 4);
  const bare = createBrowserPlatform({ globals: { ...globals, crypto: undefined } });
  assert.equal(bare.randomBytes, undefined);
});
