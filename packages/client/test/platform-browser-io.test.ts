/**
 * The browser entry's `io()` resolves URLs against `location` and keeps its options in every call
 * form socket.io-client accepts (`io()`, `io(options)`, `io(url, options)`, `io(undefined, options)`).
 * `location` is injected on globalThis for the test; no connection is opened (`autoConnect: false`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { io } from "@omnio/client/browser";

function withLocation<T>(run: () => T): T {
  const g = globalThis as { location?: unknown };
  g.location = { protocol: "http:", host: "127.0.0.1:9" };
  try {
    return run();
  } finally {
    delete g.location;
  }
}

test("io(undefined, options) keeps the options and connects to the page's origin", () => {
  withLocation(() => {
    const socket = io(undefined, { autoConnect: false });
    assert.equal(socket.active, false);
    assert.equal(socket.io.readyState, "closed");
    assert.equal(socket.io.uri, "http://127.0.0.1:9");
    assert.equal(socket.nsp, "/");
  });
});

test("io(options), io('/chat', options) and io('//host/admin', options) resolve against location", () => {
  withLocation(() => {
    const plain = io({ autoConnect: false });
    assert.equal(plain.active, false);
    assert.equal(plain.io.uri, "http://127.0.0.1:9");
    const chat = io("/chat", { autoConnect: false });
    assert.equal(chat.active, false);
    assert.equal(chat.nsp, "/chat");
    assert.equal(chat.io.uri, "http://127.0.0.1:9");
    const admin = io("//example.test:8080/admin", { autoConnect: false });
    assert.equal(admin.nsp, "/admin");
    assert.equal(admin.io.uri, "http://example.test:8080");
  });
});
