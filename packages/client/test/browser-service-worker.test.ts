/**
 * The script-tag bundle inside a classic Service Worker (no DOM, no `XMLHttpRequest` at all) in
 * real headless Chromium, against the omnio and socket.io 4.8.4 servers: WebSocket, and polling
 * over `fetch` only. 127.0.0.1 over http is a secure context, so the page server can register it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { js, openPage, type BrowserContext } from "./fixtures/browser/harness.js";
import { describeInChromium } from "./fixtures/browser/suite.js";

/** What playwright reports of a worker (only the parts used here). */
interface WorkerHandle {
  url(): string;
  on(event: "console", listener: (message: { type(): string; text(): string }) => void): void;
}

/** Console errors and warnings of the context's service workers (the page's listeners miss them). */
function watchServiceWorkers(context: BrowserContext): string[] {
  const messages: string[] = [];
  const sw = context as BrowserContext & { on(event: "serviceworker", listener: (w: WorkerHandle) => void): void };
  sw.on("serviceworker", (worker) =>
    worker.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") messages.push(`${m.type()}: ${m.text()}`);
    }),
  );
  return messages;
}

/**
 * Page-side: registers `/service-worker.js`, waits until it is active, sends it `options` with a
 * reply port, and resolves with its report; the registration is removed either way.
 */
const runInServiceWorker = (options: unknown): string => `(async () => {
  const registration = await navigator.serviceWorker.register("/service-worker.js");
  try {
    const { active } = await navigator.serviceWorker.ready;
    const channel = new MessageChannel();
    const answer = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the service worker did not answer")), 20000);
      channel.port1.onmessage = (event) => {
        clearTimeout(timer);
        resolve(event.data);
      };
    });
    active.postMessage(${js(options)}, [channel.port2]);
    return await answer;
  } finally {
    await registration.unregister();
  }
})()`;

describeInChromium(
  (kind) => `bundle in a Service Worker [${kind} server]`,
  (suite) => {
    for (const run of [
      { name: "websocket", transports: ["websocket"] },
      { name: "polling over fetch only", transports: ["polling"] },
    ]) {
      test(`[${run.name}] connects, acks with binary`, async () => {
        const { page, context, errors } = await openPage(suite.browser, `${suite.server.url}/bundle.html`);
        const workerMessages = watchServiceWorkers(context);
        try {
          const before = suite.server.transports.length;
          const report = await page.evaluate<Record<string, unknown>>(
            runInServiceWorker({ transports: run.transports }),
          );
          assert.equal(report["error"], undefined, String(report["error"]));
          assert.equal(report["isServiceWorker"], true);
          assert.match(String(report["id"]), /^[\w-]{20}$/);
          assert.equal(report["transport"], run.transports[0]);
          assert.equal(report["text"], "from a service worker");
          assert.equal(report["echoed"], "[object ArrayBuffer]:1,2,3,250");
          // A service worker has no XMLHttpRequest at all: polling above went over fetch.
          assert.equal(report["typeofXhr"], "undefined");
          assert.equal(report["hasDocument"], false);
          assert.deepEqual(report["uncaught"], []);
          assert.deepEqual(suite.server.transports.slice(before), run.transports, "the server saw that transport");
          assert.deepEqual(errors, []);
          assert.deepEqual(workerMessages, []);
        } finally {
          await context.close();
        }
      });
    }
  },
);
