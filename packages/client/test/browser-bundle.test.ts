/**
 * The script-tag bundle (`dist/bundle/omnio.min.js`, globals `io` and `omnio`) in real headless
 * Chromium, against the omnio server (which serves the bundle itself at
 * `/socket.io/omnio.min.js`) and the official socket.io 4.8.4 server: connect over each
 * transport mode, events and acks both ways, binary both ways (ArrayBuffer, typed arrays, a
 * Float32Array view with an offset, Blob, nested).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { js, openPage } from "./fixtures/browser/harness.js";
import { describeInChromium } from "./fixtures/browser/suite.js";

const MODES = [
  { name: "websocket", options: { transports: ["websocket"] }, final: "websocket" },
  { name: "polling", options: { transports: ["polling"] }, final: "polling" },
  { name: "upgrade", options: {}, final: "websocket" },
] as const;

/** What the server saw (`describe`) and what the page got back (`echo`) for each value. */
const EXPECTED_OUT = {
  arrayBuffer: {
    seen: { binary: true, hex: "000102030405060708090a0b0c0d0e0f" },
    echoed: { type: "ArrayBuffer", hex: "000102030405060708090a0b0c0d0e0f" },
  },
  uint8: { seen: { binary: true, hex: "fafbfc" }, echoed: { type: "ArrayBuffer", hex: "fafbfc" } },
  // 1.5, -2.25, 3 as little-endian float32: exactly the view's 12 bytes, not the 20-byte buffer.
  float32View: {
    seen: { binary: true, hex: "0000c03f000010c000004040" },
    echoed: { type: "ArrayBuffer", hex: "0000c03f000010c000004040" },
  },
  blob: { seen: { binary: true, hex: "686900ff" }, echoed: { type: "ArrayBuffer", hex: "686900ff" } },
  nested: {
    seen: { list: [{ binary: true, hex: "020304" }], text: "x" },
    echoed: { list: [{ type: "ArrayBuffer", hex: "020304" }], text: "x" },
  },
};

const EXPECTED_IN = {
  buffer: { type: "ArrayBuffer", hex: "000102fdfeff" },
  view: { type: "ArrayBuffer", hex: "0000c03f000010c000004040" },
  nested: [{ type: "ArrayBuffer", hex: "090807" }],
};

describeInChromium(
  (kind) => `script-tag bundle in Chromium [${kind} server]`,
  (suite) => {
    test("the bundle defines the globals io and omnio", async () => {
      const { page, context, errors } = await openPage(suite.browser, `${suite.server.url}/bundle.html`);
      try {
        const globals = await page.evaluate<Record<string, string>>(
          `({ io: typeof io, omnio: typeof omnio, same: String(io === omnio.io), Manager: typeof omnio.Manager, Socket: typeof omnio.Socket, ClientError: typeof omnio.ClientError, platform: typeof omnio.createBrowserPlatform })`,
        );
        assert.deepEqual(globals, {
          io: "function",
          omnio: "object",
          same: "true",
          Manager: "function",
          Socket: "function",
          ClientError: "function",
          platform: "function",
        });
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    for (const mode of MODES) {
      test(`[${mode.name}] connects, emits with acks, receives events, binary both ways`, async () => {
        const { page, context, errors } = await openPage(suite.browser, `${suite.server.url}/bundle.html`);
        try {
          await page.evaluate(`window.s = t.open(${js(mode.options)})`);
          const { id } = await page.evaluate<{ id: string }>("t.connected(s)");
          assert.match(id, /^[\w-]{20}$/);
          assert.equal(await page.evaluate(`t.onTransport(s, ${js(mode.final)})`), mode.final);
          // The server's greeting event, then acks with several arguments.
          await page.evaluate(`t.until(() => t.events(s, "welcome").length === 1)`);
          assert.deepEqual(await page.evaluate(`t.events(s, "welcome")[0]`), ["welcome", { id }]);
          assert.deepEqual(await page.evaluate(`t.ask(s, "echo", "héllo", 42, { a: [true, null] })`), [
            "héllo",
            42,
            { a: [true, null] },
          ]);
          assert.deepEqual(await page.evaluate(`t.binaryOut(s)`), EXPECTED_OUT);
          assert.deepEqual(await page.evaluate(`t.binaryIn(s)`), EXPECTED_IN);
          // emitWithAck and a client-side disconnect.
          assert.equal(await page.evaluate(`t.sockets[s].emitWithAck("echo", "ok")`), "ok");
          await page.evaluate(`t.sockets[s].disconnect()`);
          assert.deepEqual(await page.evaluate(`t.events(s, "disconnect").map((e) => e.slice(0, 2))`), [
            ["disconnect", "io client disconnect"],
          ]);
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
      });
    }
  },
);
