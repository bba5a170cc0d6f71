import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { runInNewContext } from "node:vm";
import { io as connect, type Socket } from "socket.io-client";
import { findChromium } from "@omnio/testkit";
import { start, type StatusServer, type StatusSnapshot } from "@omnio/example-status-server";

async function status(server: StatusServer): Promise<StatusSnapshot> {
  const res = await fetch(server.url + "status.json");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  return (await res.json()) as StatusSnapshot;
}

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function nextEvent<T>(socket: Socket, event: string, timeoutMs = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}"`)), timeoutMs);
    socket.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

test("/status.json starts at zero clients", async () => {
  const server = await start({ port: 0, host: "127.0.0.1" });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const s = await status(server);
    assert.equal(s.clients, 0);
    assert.deepEqual(s.namespaces, [{ name: "/", sockets: 0, rooms: 0 }]);
    assert.equal(s.rooms, 0);
    assert.equal(s.messagesPerSecond, 0);
    assert.equal(s.totalMessages, 0);
    assert.ok(s.uptimeSeconds >= 0);
    assert.ok(s.memory.rss > 0 && s.memory.heapUsed > 0);
  } finally {
    await server.close();
  }
});

for (const transports of [["websocket"], ["polling"]]) {
  test(`an official socket.io-client over ${transports[0]} is counted, watches and pings`, async () => {
    const server = await start({ port: 0, host: "127.0.0.1", intervalMs: 50 });
    const client = connect(server.url, { forceNew: true, reconnection: false, transports });
    try {
      await nextEvent(client, "connect");
      const counted = await until(
        "the client is counted",
        () => status(server),
        (s) => s.clients === 1,
      );
      assert.deepEqual(counted.namespaces, [{ name: "/", sockets: 1, rooms: 0 }]);

      const first = (await client.timeout(3000).emitWithAck("watch")) as StatusSnapshot;
      assert.equal(first.clients, 1);
      assert.equal(first.rooms, 1, "the watchers room");
      const pushed = await nextEvent<StatusSnapshot>(client, "stats");
      assert.equal(pushed.clients, 1);
      assert.deepEqual(pushed.namespaces, [{ name: "/", sockets: 1, rooms: 1 }]);

      for (let i = 0; i < 5; i++) await client.timeout(3000).emitWithAck("rtt");
      const counting = await until(
        "6 messages counted",
        () => status(server),
        (s) => s.totalMessages >= 6,
      );
      assert.equal(counting.totalMessages, 6, "watch + 5 rtt");
      assert.equal(counting.rooms, 1);
      // Traffic in each measuring interval, so that some `stats` push shows a rate.
      const traffic = async (): Promise<StatusSnapshot> => {
        const pushed = nextEvent<StatusSnapshot>(client, "stats");
        await client.timeout(3000).emitWithAck("rtt");
        return pushed;
      };
      await until("a non-zero rate", traffic, (s) => s.messagesPerSecond > 0);

      client.disconnect();
      const after = await until(
        "the client is gone",
        () => status(server),
        (s) => s.clients === 0,
      );
      assert.deepEqual(after.namespaces, [{ name: "/", sockets: 0, rooms: 0 }]);
      assert.equal(after.rooms, 0);
    } finally {
      client.disconnect();
      await server.close();
    }
  });
}

test("the page loads the official socket.io-client bundle served at /socket.io-client.min.js", async () => {
  const server = await start({ port: 0, host: "127.0.0.1" });
  try {
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    const html = await page.text();
    assert.match(html, /<script src="\/socket\.io-client\.min\.js"><\/script>/);
    for (const id of ["clients", "namespaces", "rooms", "rate", "uptime", "memory", "ping", "latency"]) {
      assert.match(html, new RegExp(`id="${id}"`));
    }

    const bundle = await fetch(server.url + "socket.io-client.min.js");
    assert.equal(bundle.status, 200);
    assert.equal(bundle.headers.get("content-type"), "text/javascript; charset=utf-8");
    const pkg = createRequire(import.meta.url).resolve("socket.io-client/package.json");
    const expected = readFileSync(join(dirname(pkg), "dist", "socket.io.min.js"));
    assert.ok(Buffer.from(await bundle.arrayBuffer()).equals(expected));

    const head = await fetch(server.url + "status.json", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), "");
    assert.equal((await fetch(server.url + "nope")).status, 404);
    assert.equal((await fetch(server.url, { method: "POST" })).status, 405);
  } finally {
    await server.close();
  }
});

test("start() rejects when the port is taken", async () => {
  const first = await start({ port: 0, host: "127.0.0.1" });
  try {
    await assert.rejects(start({ port: first.port, host: "127.0.0.1" }), { code: "EADDRINUSE" });
  } finally {
    await first.close();
  }
});

/** Just enough of a DOM element for the page script. */
class FakeElement {
  #text: string | number = "";
  readonly children: FakeElement[] = [];
  get textContent(): string | number {
    return this.#text;
  }
  /** As in the DOM, setting the text replaces the children. */
  set textContent(value: string | number) {
    this.#text = value;
    this.children.length = 0;
  }
  readonly listeners = new Map<string, () => void>();
  appendChild(child: FakeElement): void {
    this.children.push(child);
  }
  addEventListener(event: string, listener: () => void): void {
    this.listeners.set(event, listener);
  }
}

test("the page script paints live numbers and times a ping (official client, fake DOM)", async () => {
  const server = await start({ port: 0, host: "127.0.0.1", intervalMs: 50 });
  const sockets: Socket[] = [];
  try {
    const html = await (await fetch(server.url)).text();
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
    assert.ok(script, "inline script");
    const elements = new Map<string, FakeElement>();
    const document = {
      getElementById(id: string): FakeElement {
        let el = elements.get(id);
        if (!el) elements.set(id, (el = new FakeElement()));
        return el;
      },
      createElement: () => new FakeElement(),
    };
    // The page's `io()` is the bundle's global; here it is the same client from node_modules.
    const io = (opts?: object): Socket => {
      const socket = connect(server.url, { ...opts, forceNew: true, reconnection: false });
      sockets.push(socket);
      return socket;
    };
    runInNewContext(script, { document, io, performance });
    const text = (id: string) => String(document.getElementById(id).textContent);
    await until(
      "the page shows one client",
      async () => text("clients"),
      (v) => v === "1",
    );
    assert.match(text("state"), /^connected \((polling|websocket)\)$/);
    assert.equal(text("namespaces"), "1");
    assert.equal(text("rooms"), "1");
    assert.match(text("uptime"), /^\d+s$/);
    assert.match(text("memory"), /^\d+\.\d MiB rss, \d+\.\d MiB heap$/);
    const rows = document.getElementById("nsps").children.map((tr) => tr.children.map((td) => td.textContent));
    assert.deepEqual(rows, [["/", 1, 1]]);

    document.getElementById("ping").listeners.get("click")!();
    await until(
      "the latency is shown",
      async () => text("latency"),
      (v) => / ms$/.test(v),
    );
    await until(
      "the ping is counted",
      async () => text("total"),
      (v) => Number(v) >= 2,
    );
  } finally {
    for (const s of sockets) s.disconnect();
    await server.close();
  }
});

// The page in a real browser: Debian's Chromium driven by playwright-core (@omnio/testkit's
// findChromium; `.ci/run` installs chromium). Without it the test is skipped with a loud message
// on a person's machine, and fails under CI=true.
const ARTIFACTS = new URL("../../../test-artifacts/", import.meta.url).pathname;
interface BrowserPage {
  goto(url: string): Promise<unknown>;
  waitForFunction(fn: string, arg?: unknown, options?: { timeout: number }): Promise<unknown>;
  textContent(selector: string): Promise<string | null>;
  click(selector: string): Promise<void>;
  screenshot(o: { path: string }): Promise<unknown>;
}
interface Browser {
  newPage(): Promise<BrowserPage>;
  close(): Promise<void>;
}
const chromium = await findChromium("the status page's browser test");

test(
  "the page shows live numbers and a ping latency in headless Chromium",
  { skip: chromium.skip ?? false },
  async () => {
    const server = await start({ port: 0, host: "127.0.0.1", intervalMs: 100 });
    const browser = await chromium.launch<Browser>();
    try {
      const page = await browser.newPage();
      await page.goto(server.url);
      await page.waitForFunction('document.getElementById("clients").textContent === "1"', undefined, {
        timeout: 5000,
      });
      assert.match((await page.textContent("#state")) ?? "", /^connected/);
      assert.equal(await page.textContent("#namespaces"), "1");
      await page.click("#ping");
      await page.waitForFunction('/ ms$/.test(document.getElementById("latency").textContent)', undefined, {
        timeout: 5000,
      });
      assert.equal(server.snapshot().clients, 1);
      // Kept for people to look at: test-artifacts/ is gitignored.
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, "status-page.png") });
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
