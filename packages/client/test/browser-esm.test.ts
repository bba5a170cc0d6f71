/**
 * The ESM build (`packages/client/dist/*.js` as tsc emits it, `@omnio/protocol`'s dist through an
 * import map, no bundler) in real headless Chromium, against the omnio and socket.io 4.8.4
 * servers: `@omnio/client/browser`'s `io` connects, acks, and moves binary both ways.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { js, openPage } from "./fixtures/browser/harness.js";
import { describeInChromium } from "./fixtures/browser/suite.js";

describeInChromium(
  (kind) => `ESM build in Chromium [${kind} server]`,
  (suite) => {
    for (const transports of [["websocket"], ["polling"], ["polling", "websocket"]]) {
      test(`[${transports.join(" → ")}] the ESM entry connects, acks, binary both ways`, async () => {
        const { page, context, errors } = await openPage(
          suite.browser,
          `${suite.server.url}/esm.html`,
          "typeof window.io === 'function' && typeof window.esm === 'object'",
        );
        try {
          // Really the ESM modules: no bundle global, the classes come from dist/index.js.
          assert.equal(await page.evaluate("typeof window.omnio"), "undefined");
          assert.equal(await page.evaluate("typeof window.esm.Manager"), "function");
          await page.evaluate(`window.s = t.open(${js({ transports })})`);
          const { id } = await page.evaluate<{ id: string }>("t.connected(s)");
          assert.match(id, /^[\w-]{20}$/);
          const final = transports.at(-1)!;
          assert.equal(await page.evaluate(`t.onTransport(s, ${js(final)})`), final);
          assert.equal(await page.evaluate(`t.sockets[s].io instanceof window.esm.Manager`), true);
          assert.deepEqual(await page.evaluate(`t.ask(s, "echo", "esm", [1, 2])`), ["esm", [1, 2]]);
          const out = await page.evaluate<Record<string, { seen: unknown; echoed: unknown }>>("t.binaryOut(s)");
          assert.deepEqual(out["blob"], {
            seen: { binary: true, hex: "686900ff" },
            echoed: { type: "ArrayBuffer", hex: "686900ff" },
          });
          assert.deepEqual(out["float32View"]!.seen, { binary: true, hex: "0000c03f000010c000004040" });
          assert.deepEqual(await page.evaluate("t.binaryIn(s)"), {
            buffer: { type: "ArrayBuffer", hex: "000102fdfeff" },
            view: { type: "ArrayBuffer", hex: "0000c03f000010c000004040" },
            nested: [{ type: "ArrayBuffer", hex: "090807" }],
          });
          // A bad emit still throws the typed error from the ESM ClientError class.
          assert.equal(
            await page.evaluate(
              `(() => { try { t.sockets[s].emit("connect"); return "no error"; } catch (e) { return (e instanceof window.esm.ClientError) + ":" + e.code; } })()`,
            ),
            "true:RESERVED_EVENT",
          );
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
      });
    }
  },
);
