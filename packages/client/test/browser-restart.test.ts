/**
 * In real headless Chromium, the omnio bundle survives its server going away:
 *
 * - the server process is SIGKILLed and a new one starts on the same port (a real process, the
 *   page stays loaded): the page reconnects by itself, gets a new id, and the emits made while
 *   disconnected reach the new server once each, in order (omnio and socket.io 4.8.4 servers);
 * - the browser goes offline (`context.setOffline(true)` fires `offline`): the client drops the
 *   connection at once ("transport close"); back online, it reconnects promptly although the
 *   reconnection delay is 30 s (the `online` event cuts the wait short).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { chromium, js, openPage, type Browser } from "./fixtures/browser/harness.js";
import { startPageServer, type PageServer, type ServerKind } from "./fixtures/browser/page-server.js";
import { killChild, startListeningChild, type ListeningChild } from "./support/child-process.js";

const CHILD = fileURLToPath(new URL("./fixtures/browser/child.js", import.meta.url));

interface Child extends ListeningChild {
  marks: unknown[];
}

/** Starts the page server in a new Node process, collecting its `mark <json>` lines. */
async function startChild(kind: ServerKind, port = 0): Promise<Child> {
  const marks: unknown[] = [];
  const child = await startListeningChild(CHILD, [kind, String(port)], (line) => {
    if (line.startsWith("mark ")) marks.push(JSON.parse(line.slice(5)));
  });
  return { ...child, marks };
}

let browser: Browser;
before(async () => {
  if (!chromium.skip) browser = await chromium.launch<Browser>();
});
after(async () => {
  await browser?.close();
});

const RESTARTS: [ServerKind, string, object][] = [
  ["omnio", "websocket", { transports: ["websocket"] }],
  ["omnio", "polling", { transports: ["polling"] }],
  ["omnio", "upgrade", {}],
  ["socket.io", "websocket", { transports: ["websocket"] }],
  ["socket.io", "polling", { transports: ["polling"] }],
];

describe("server process restart, page stays open", { skip: chromium.skip ?? false }, () => {
  for (const [kind, mode, options] of RESTARTS) {
    test(`[${kind} server, ${mode}] SIGKILL, new process on the same port → reconnects, new id, buffered emits once`, async () => {
      const children: Child[] = [];
      try {
        const first = await startChild(kind);
        children.push(first);
        const { page, context, uncaught } = await openPage(browser, `http://127.0.0.1:${first.port}/bundle.html`);
        try {
          await page.evaluate(
            `window.s = t.open(${js({ ...options, reconnectionDelay: 100, reconnectionDelayMax: 400 })})`,
          );
          const { id: firstId } = await page.evaluate<{ id: string }>("t.connected(s)");
          assert.deepEqual(await page.evaluate(`t.ask(s, "mark", "before")`), ["before"]);

          await killChild(first);
          await page.evaluate(`t.until(() => t.events(s, "disconnect").length === 1)`);
          const disconnects = await page.evaluate<[string, string][]>(`t.events(s, "disconnect")`);
          const reason = disconnects[0]![1];
          assert.ok(["transport close", "transport error"].includes(reason), reason);
          assert.equal(await page.evaluate("t.sockets[s].active"), true, "still trying");
          // Emitted while the server is gone: buffered by the client.
          await page.evaluate(`for (let i = 1; i <= 5; i++) t.sockets[s].emit("mark", i)`);
          await page.evaluate(`t.until(() => t.events(s, "reconnect_error").length >= 1)`);

          const second = await startChild(kind, first.port);
          children.push(second);
          const { id: secondId } = await page.evaluate<{ id: string }>("t.connected(s, 15000)");
          assert.notEqual(secondId, firstId, "a new server gives a new id");
          assert.deepEqual(await page.evaluate(`t.ask(s, "mark", "after")`), ["after"]);
          assert.equal((await page.evaluate<unknown[]>(`t.events(s, "reconnect")`)).length, 1);
          assert.deepEqual(first.marks, ["before"]);
          assert.deepEqual(second.marks, [1, 2, 3, 4, 5, "after"], "each buffered emit once, in order");
          assert.deepEqual(uncaught, []);
        } finally {
          await context.close();
        }
      } finally {
        for (const child of children) await killChild(child);
      }
    });
  }
});

describe("offline / online", { skip: chromium.skip ?? false }, () => {
  let server: PageServer;
  before(async () => {
    server = await startPageServer("omnio");
  });
  after(async () => {
    await server?.close();
  });

  for (const [mode, options] of [
    ["websocket", { transports: ["websocket"] }],
    ["polling", { transports: ["polling"] }],
  ] as const) {
    test(`[${mode}] offline drops the connection at once; online reconnects without waiting for the 30 s delay`, async () => {
      const { page, context, uncaught } = await openPage(browser, `${server.url}/bundle.html`);
      try {
        await page.evaluate(
          `window.s = t.open(${js({ ...options, reconnectionDelay: 30_000, reconnectionDelayMax: 30_000, randomizationFactor: 0 })})`,
        );
        const { id: firstId } = await page.evaluate<{ id: string }>("t.connected(s)");

        await context.setOffline(true);
        await page.evaluate(`t.until(() => t.events(s, "disconnect").length === 1)`);
        assert.equal(await page.evaluate("navigator.onLine"), false);
        const disconnects =
          await page.evaluate<[string, string, { description?: string }][]>(`t.events(s, "disconnect")`);
        const [, reason, details] = disconnects[0]!;
        assert.equal(reason, "transport close");
        assert.equal(details?.description, "network connection lost");
        assert.equal(await page.evaluate("t.sockets[s].state"), "reconnecting");
        await page.evaluate(`t.sockets[s].emit("mark", "while offline")`);

        await context.setOffline(false);
        // Loose liveness bound, far below the 30 s reconnection delay.
        const { id: secondId } = await page.evaluate<{ id: string }>("t.connected(s, 20000)");
        assert.notEqual(secondId, firstId);
        assert.equal(await page.evaluate("t.sockets[s].state"), "connected");
        assert.deepEqual(await page.evaluate(`t.ask(s, "echo", "online again")`), ["online again"]);
        assert.deepEqual(
          (await page.evaluate<unknown[][]>(`t.events(s, "reconnect")`)).map((e) => e[0]),
          ["reconnect"],
        );
        assert.deepEqual(uncaught, []);
      } finally {
        await context.close();
      }
    });
  }
});
