/**
 * The script-tag bundle inside a dedicated Web Worker (no DOM) in real headless Chromium, against
 * the omnio and socket.io 4.8.4 servers: WebSocket, and polling with `XMLHttpRequest` removed so
 * only `fetch` is left.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { js, openPage } from "./fixtures/browser/harness.js";
import { describeInChromium } from "./fixtures/browser/suite.js";

describeInChromium(
  (kind) => `bundle in a Web Worker [${kind} server]`,
  (suite) => {
    for (const run of [
      { name: "websocket", options: { transports: ["websocket"] }, transport: "websocket", hasXhr: true },
      {
        name: "polling over fetch only",
        options: { transports: ["polling"], noXhr: true },
        transport: "polling",
        hasXhr: false,
      },
    ]) {
      test(`[${run.name}] connects, acks with binary`, async () => {
        const { page, context, errors } = await openPage(suite.browser, `${suite.server.url}/bundle.html`);
        try {
          const before = suite.server.transports.length;
          const report = await page.evaluate<Record<string, unknown>>(`t.worker(${js(run.options)})`);
          assert.equal(report["error"], undefined, String(report["error"]));
          assert.match(String(report["id"]), /^[\w-]{20}$/);
          assert.equal(report["transport"], run.transport);
          assert.equal(report["text"], "from a worker");
          assert.equal(report["echoed"], "[object ArrayBuffer]:1,2,3,250");
          assert.equal(report["hasXhr"], run.hasXhr);
          assert.equal(report["hasDocument"], false);
          assert.deepEqual(suite.server.transports.slice(before), [run.transport], "the server saw that transport");
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
      });
    }
  },
);
