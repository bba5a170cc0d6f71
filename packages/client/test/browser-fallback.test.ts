/**
 * WebSocket blocked → HTTP long-polling, in real headless Chromium, omnio's bundle beside the
 * official socket.io-client 4.8.4 bundle on the same server, expecting the same outcome:
 *
 * - blocked by the network (every WebSocket upgrade answered 403, as a proxy would) or by the
 *   page (a `WebSocket` whose connections fail with `error` + `close`);
 * - with the default transports (polling, then an upgrade that fails: stays on polling), with
 *   websocket only / websocket first (`connect_error` "websocket error", the Manager retries
 *   websocket), and websocket first with `tryAllTransports` (falls back to polling).
 *
 * Where socket.io-client stalls silently (a `WebSocket` constructor that throws, or no
 * `WebSocket` at all), omnio's own behaviour is checked: it reports the error and falls back
 * when polling is allowed.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chromium, js, openPage, type Browser } from "./fixtures/browser/harness.js";
import { startPageServer, type PageServer, type ServerKind } from "./fixtures/browser/page-server.js";

/** A page-level WebSocket whose connections fail as a blocked one does (async error, then close 1006). */
const FAILING_WEBSOCKET = `window.WebSocket = class {
  constructor() {
    setTimeout(() => {
      if (this.onerror) this.onerror(new Event("error"));
      if (this.onclose) this.onclose({ code: 1006, reason: "" });
    }, 5);
  }
  send() {}
  close() {}
};`;
const THROWING_WEBSOCKET = `window.WebSocket = function () { throw new DOMException("blocked by policy", "SecurityError"); };`;
const NO_WEBSOCKET = `window.WebSocket = undefined;`;

const OPTIONS = {
  default: {},
  "websocket only": { transports: ["websocket"] },
  "websocket first": { transports: ["websocket", "polling"] },
  "websocket first + tryAllTransports": { transports: ["websocket", "polling"], tryAllTransports: true },
} as const;

interface Outcome {
  connected: boolean;
  transport: string | undefined;
  firstError: string | undefined;
  echo?: unknown;
}

let browser: Browser;
before(async () => {
  if (!chromium.skip) browser = await chromium.launch<Browser>();
});
after(async () => {
  await browser?.close();
});

/**
 * Opens `page` (bundle.html or official.html) with `init`, connects with `options`, and waits
 * until it is connected (then checks an ack with binary) or has failed twice (first attempt +
 * one reconnection).
 */
async function outcome(server: PageServer, pageName: string, options: object, init?: string): Promise<Outcome> {
  const { page, context, uncaught } = await openPage(browser, `${server.url}/${pageName}`, undefined, init);
  try {
    await page.evaluate(`window.s = t.open(${js({ ...options, reconnectionDelay: 100, reconnectionDelayMax: 200 })})`);
    await page.evaluate(`t.until(() => t.sockets[s].connected || t.events(s, "connect_error").length >= 2)`);
    const result = await page.evaluate<Outcome>(
      `({ connected: t.sockets[s].connected, transport: t.sockets[s].connected ? t.transport(s) : undefined, firstError: (t.events(s, "connect_error")[0] || [])[1] })`,
    );
    if (result.connected) {
      // Stay a moment so a failing upgrade has run, then prove the polling connection works.
      await page.evaluate(`new Promise((r) => setTimeout(r, 300))`);
      result.transport = await page.evaluate<string>("t.transport(s)");
      result.echo = await page.evaluate(`t.ask(s, "echo", "via " + t.transport(s), new Uint8Array([1, 2, 3]))`);
    }
    if (pageName === "bundle.html") assert.deepEqual(uncaught, [], "omnio throws nothing uncaught");
    return result;
  } finally {
    await context.close();
  }
}

const connectedOnPolling: Outcome = {
  connected: true,
  transport: "polling",
  firstError: undefined,
  echo: ["via polling", { type: "ArrayBuffer", hex: "010203" }],
};
const failsWith = (message: string): Outcome => ({ connected: false, transport: undefined, firstError: message });

const EXPECTED: Record<keyof typeof OPTIONS, Outcome> = {
  default: connectedOnPolling,
  "websocket only": failsWith("websocket error"),
  "websocket first": failsWith("websocket error"),
  "websocket first + tryAllTransports": connectedOnPolling,
};

for (const kind of ["omnio", "socket.io"] as ServerKind[]) {
  describe(
    `WebSocket blocked by the network (403 on upgrade) [${kind} server]`,
    { skip: chromium.skip ?? false },
    () => {
      let server: PageServer;
      before(async () => {
        server = await startPageServer(kind, { blockWebSocket: true });
      });
      after(async () => {
        await server?.close();
      });
      // Against socket.io's server, the two cases that connect (the failures are the client's own).
      const names = kind === "omnio" ? Object.keys(OPTIONS) : ["default", "websocket first + tryAllTransports"];
      for (const name of names) {
        const options = OPTIONS[name as keyof typeof OPTIONS];
        test(`[${name}] omnio behaves as socket.io-client`, async () => {
          const official = await outcome(server, "official.html", options);
          const omnio = await outcome(server, "bundle.html", options);
          assert.deepEqual(official, EXPECTED[name as keyof typeof OPTIONS], "socket.io-client 4.8.4");
          assert.deepEqual(omnio, official, "omnio");
        });
      }
      test("the upgrades really were refused", () => {
        assert.ok(server.refusedUpgrades >= 2, `refused ${server.refusedUpgrades}`);
      });
    },
  );
}

describe("WebSocket blocked in the page [omnio server]", { skip: chromium.skip ?? false }, () => {
  let server: PageServer;
  before(async () => {
    server = await startPageServer("omnio");
  });
  after(async () => {
    await server?.close();
  });
  for (const [name, options] of Object.entries(OPTIONS)) {
    test(`[failing WebSocket, ${name}] omnio behaves as socket.io-client`, async () => {
      const official = await outcome(server, "official.html", options, FAILING_WEBSOCKET);
      const omnio = await outcome(server, "bundle.html", options, FAILING_WEBSOCKET);
      assert.deepEqual(official, EXPECTED[name as keyof typeof OPTIONS], "socket.io-client 4.8.4");
      assert.deepEqual(omnio, official, "omnio");
    });
  }
  // socket.io-client 4.8.4 stalls in these cases (no connect, no connect_error, no retry when
  // the constructor throws or WebSocket is missing and websocket comes first); omnio reports
  // the failure as a connect_error and falls back where polling is allowed.
  const OMNIO_ONLY: [string, string, keyof typeof OPTIONS, Outcome][] = [
    ["throwing WebSocket", THROWING_WEBSOCKET, "default", connectedOnPolling],
    ["throwing WebSocket", THROWING_WEBSOCKET, "websocket first", failsWith("websocket error")],
    ["throwing WebSocket", THROWING_WEBSOCKET, "websocket first + tryAllTransports", connectedOnPolling],
    ["no WebSocket", NO_WEBSOCKET, "websocket only", failsWith("no transport available")],
    ["no WebSocket", NO_WEBSOCKET, "websocket first", connectedOnPolling],
  ];
  for (const [what, init, name, expected] of OMNIO_ONLY) {
    test(`[${what}, ${name}] omnio reports it and falls back where it can`, async () => {
      assert.deepEqual(await outcome(server, "bundle.html", OPTIONS[name], init), expected);
    });
  }
});
