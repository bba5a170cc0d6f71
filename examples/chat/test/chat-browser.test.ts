/**
 * The demo page as people use it: two headless Chromium pages (Debian's chromium through
 * playwright-core) chat in the same room. Skipped loudly without Chromium on a person's machine;
 * fails under CI=true. The screenshot goes to test-artifacts/chat.png (gitignored).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { findChromium } from "@omnio/testkit";
import { start } from "@omnio/example-chat";
import { gradientPng } from "./png.js";

interface Page {
  goto(url: string): Promise<unknown>;
  fill(selector: string, value: string): Promise<void>;
  click(selector: string): Promise<void>;
  press(selector: string, key: string): Promise<void>;
  textContent(selector: string): Promise<string | null>;
  waitForFunction(fn: string, arg?: unknown, options?: { timeout: number }): Promise<unknown>;
  evaluate<T>(fn: string): Promise<T>;
  setInputFiles(selector: string, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  screenshot(o: { path: string }): Promise<unknown>;
  on(event: "pageerror" | "console", listener: (value: any) => void): void;
}
interface Browser {
  newContext(): Promise<{ newPage(): Promise<Page> }>;
  close(): Promise<void>;
}

const chromium = await findChromium("the chat demo's browser test");
const ARTIFACTS = new URL("../../../test-artifacts/", import.meta.url).pathname;
const T = { timeout: 20_000 };

/**
 * Waits until `expression` (evaluated in the page) is truthy. Polled from here with
 * `page.evaluate`: the page's Content-Security-Policy forbids the `eval` that a string
 * `waitForFunction` predicate needs, and a string that looks like a function would not be called.
 */
async function waitFor(page: Page, expression: string): Promise<void> {
  const deadline = Date.now() + T.timeout;
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${expression}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function enter(page: Page, url: string, nickname: string): Promise<void> {
  await page.goto(url);
  await waitFor(page, `document.getElementById("status").dataset.state === "connected"`);
  await page.fill("#nick-input", nickname);
  await page.click('#nick-form button[type="submit"]');
  await waitFor(page, `document.getElementById("room-title").textContent === "# general"`);
  await waitFor(page, `document.getElementById("nick-dialog").hidden`);
}

test(
  "two pages chat: messages, typing, an image and a file, rooms, the status badge",
  { skip: chromium.skip ?? false },
  async () => {
    let chat = await start({ port: 0, host: "127.0.0.1", limits: { maxFileBytes: 256 * 1024 } });
    const browser = await chromium.launch<Browser>();
    const errors: string[] = [];
    const uncaught: string[] = [];
    try {
      const [alice, bob] = await Promise.all([
        browser.newContext().then((c) => c.newPage()),
        browser.newContext().then((c) => c.newPage()),
      ]);
      for (const page of [alice, bob]) {
        page.on("pageerror", (e: Error) => {
          errors.push(String(e));
          uncaught.push(String(e));
        });
        page.on("console", (m: { type(): string; text(): string }) => {
          if (m.type() === "error") errors.push(m.text());
        });
        await page.setViewportSize({ width: 1100, height: 720 });
      }
      await enter(alice, chat.url, "alice");
      await enter(bob, chat.url, "bob");

      // Both see each other in the member list.
      for (const page of [alice, bob]) {
        await waitFor(page, `document.querySelectorAll("#members li").length === 2`);
      }
      assert.deepEqual(
        await alice.evaluate<string[]>(`[...document.querySelectorAll("#members li")].map((li) => li.textContent)`),
        ["alice (you)", "bob"],
      );

      // The badge: connected, and after the upgrade the transport is websocket.
      await waitFor(bob, `document.getElementById("transport").textContent.startsWith("websocket")`);
      assert.equal(await bob.textContent("#status-text"), "connected");

      // bob types: alice sees the indicator; bob sends; alice sees the text, rendered as text.
      const hostile = `<img src=x onerror="document.title='pwned'"> hi alice`;
      await bob.fill("#text", hostile);
      await waitFor(alice, `document.getElementById("typing").textContent === "bob is typing…"`);
      await bob.press("#text", "Enter");
      await waitFor(alice, `document.querySelectorAll("#messages .msg").length === 1`);
      assert.equal(await alice.textContent("#messages .msg .text"), hostile);
      assert.equal(await alice.evaluate<number>(`document.querySelectorAll("#messages img").length`), 0);
      await waitFor(alice, `document.getElementById("typing").textContent === ""`);
      assert.notEqual(await alice.evaluate<string>("document.title"), "pwned");

      await alice.fill("#text", "hello bob, here is a picture");
      await alice.click("#send");
      await waitFor(bob, `document.querySelectorAll("#messages .msg").length === 2`);

      // alice shares an image (binary over the socket); bob's page shows it decoded.
      const png = gradientPng(160, 100);
      await alice.setInputFiles("#file-input", [{ name: "gradient.png", mimeType: "image/png", buffer: png }]);
      await waitFor(
        bob,
        `document.querySelector("#messages img")?.complete && document.querySelector("#messages img").naturalWidth === 160`,
      );
      assert.equal(await bob.evaluate<string>(`document.querySelector("#messages img").alt`), "gradient.png");
      // The pixels are the ones sent (x/width → red, y/height → green, blue 200).
      const pixel = await bob.evaluate<number[]>(`[document.createElement("canvas").getContext("2d")].map((g) => {
      g.canvas.width = 160;
      g.canvas.height = 100;
      g.drawImage(document.querySelector("#messages img"), 0, 0);
      return [...g.getImageData(80, 50, 1, 1).data];
    })[0]`);
      assert.deepEqual(pixel, [128, 128, 200, 255]);

      // A non-image file becomes a download link; a file over the limit is refused with a message.
      await bob.setInputFiles("#file-input", [
        { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("to do\n") },
      ]);
      await waitFor(alice, `document.querySelector('#messages a[download="notes.txt"]') !== null`);
      assert.match((await alice.textContent('#messages a[download="notes.txt"]')) ?? "", /FILEnotes\.txt \(6 B\)/);
      await bob.setInputFiles("#file-input", [
        { name: "huge.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(300 * 1024) },
      ]);
      await waitFor(bob, `!document.getElementById("error").hidden`);
      assert.match((await bob.textContent("#error")) ?? "", /huge\.bin.*limited to 256 KiB/);
      assert.equal(await alice.evaluate<number>(`document.querySelectorAll("#messages .msg").length`), 4);

      // Rooms: bob creates one; alice's list shows it with one member; bob's view is the new room.
      await bob.fill("#new-room-input", "Games");
      await bob.click('#new-room-form button[type="submit"]');
      await waitFor(bob, `document.getElementById("room-title").textContent === "# Games"`);
      await waitFor(
        alice,
        `[...document.querySelectorAll("#rooms button")].some((b) => b.dataset.room === "Games" && b.querySelector(".count").textContent === "1")`,
      );
      await waitFor(alice, `document.querySelectorAll("#members li").length === 1`);
      assert.equal(await bob.evaluate<number>(`document.querySelectorAll("#messages .msg").length`), 0);
      // And comes back: the history of general is there, the image included.
      await bob.click('#rooms button[data-room="general"]');
      await waitFor(bob, `document.querySelectorAll("#messages .msg").length === 4`);
      await waitFor(bob, `document.querySelector("#messages img")?.naturalWidth === 160`);

      // The server restarts on the same port: both pages show the reconnection, then rejoin.
      // Nothing went wrong so far (the reconnection attempts below log refused connections).
      assert.deepEqual(errors, []);
      await chat.close();
      await waitFor(alice, `["reconnecting", "connecting"].includes(document.getElementById("status").dataset.state)`);
      await waitFor(alice, `!document.getElementById("attempts").hidden`);
      assert.match((await alice.textContent("#attempts")) ?? "", /^attempt \d+$/);
      assert.equal(await alice.textContent("#transport"), "", "no transport while disconnected");
      mkdirSync(ARTIFACTS, { recursive: true });
      await alice.screenshot({ path: join(ARTIFACTS, "chat-reconnecting.png") });
      chat = await start({ port: chat.port, host: "127.0.0.1", limits: { maxFileBytes: 256 * 1024 } });
      for (const page of [alice, bob]) {
        await waitFor(page, `document.getElementById("status").dataset.state === "connected"`);
        await waitFor(page, `document.querySelectorAll("#members li").length === 2`);
      }
      assert.equal(await alice.textContent("#room-title"), "# general");
      await bob.fill("#text", "back again");
      await bob.press("#text", "Enter");
      await waitFor(
        alice,
        `[...document.querySelectorAll("#messages .text")].some((p) => p.textContent === "back again")`,
      );
      // A restarted server has no history: the old messages are gone from the view.
      assert.equal(await alice.evaluate<number>(`document.querySelectorAll("#messages .msg").length`), 1);
      await alice.fill("#text", "welcome back");
      await alice.click("#send");
      await waitFor(bob, `document.querySelectorAll("#messages .msg").length === 2`);
      await alice.setInputFiles("#file-input", [{ name: "gradient.png", mimeType: "image/png", buffer: png }]);
      await waitFor(bob, `document.querySelector("#messages img")?.naturalWidth === 160`);
      await bob.fill("#text", "nice!");

      mkdirSync(ARTIFACTS, { recursive: true });
      await alice.screenshot({ path: join(ARTIFACTS, "chat.png") });
      await bob.screenshot({ path: join(ARTIFACTS, "chat-bob.png") });
      assert.deepEqual(uncaught, []);
    } finally {
      await browser.close();
      await chat.close();
    }
  },
);
