/**
 * examples/wechat-miniprogram, run as WeChat runs it: its app.js, utils and page JS in a
 * `node:vm` context that has only a simulated `wx` (packages/client/test/hosts: SocketTask and
 * wx.request over real sockets), with the omnio client copied in by the example's own
 * copy-client.mjs (the client's WeChat bundle). The page talks to the real chat demo server
 * (examples/chat) on 127.0.0.1, with the official socket.io-client as the other person.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { io as peerIo } from "socket.io-client";
import { start } from "@omnio/example-chat";
import { createWxLikeHost } from "../../../packages/client/dist-test/hosts/sim-hosts.js";
import { until, within } from "../../../packages/client/dist-test/hosts/waits.js";
import { loadMiniProgram } from "./mini-program-loader.js";

const EXAMPLE = fileURLToPath(new URL("../", import.meta.url));

test("the WeChat example page joins the chat, receives and sends messages, survives the background kill", async () => {
  const dir = mkdtempSync(join(tmpdir(), "omnio-wx-example-"));
  const lib = join(dir, "omnio-wechat.js");
  const built = spawnSync(process.execPath, [join(EXAMPLE, "copy-client.mjs"), lib], { encoding: "utf8" });
  assert.equal(built.status, 0, built.stderr);
  const server = await start({ port: 0, host: "127.0.0.1" });
  const host = createWxLikeHost({ backgroundKillMs: 100 });
  const peer = peerIo(server.url, { transports: ["websocket"] });
  try {
    const program = loadMiniProgram(EXAMPLE, host.api, { [join(EXAMPLE, "lib/omnio-wechat.js")]: lib });
    program.app.globalData.serverUrl = server.url; // the example's one setting
    const page = program.loadPage("pages/index/index");
    page.onLoad({});
    await until(() => page.data.status === "connected" && page.data.room === "general", "the page to join #general");
    assert.match(page.data.nickname, /^wx-\d{4}$/);
    assert.ok(host.state.connects.length >= 1, "the page connected through wx.connectSocket");

    // The other person, with the official client.
    assert.equal((await peer.timeout(3000).emitWithAck("hello", "peer")).ok, true);
    assert.equal((await peer.timeout(3000).emitWithAck("join", "general")).ok, true);
    await until(() => page.data.members.includes("peer"), "the member list to show peer");
    await peer.timeout(3000).emitWithAck("message", "hello from node");
    await until(() => page.data.messages.some((m: any) => m.from === "peer"), "peer's message on the page");
    assert.equal(page.data.messages.at(-1).text, "hello from node");

    const received = new Promise<any>((resolve) => peer.on("message", (m: any) => m.from !== "peer" && resolve(m)));
    page.onInput({ detail: { value: "  hi from wechat " } });
    page.onSend();
    const message = await within(received, "the page's message at the peer");
    assert.equal(message.text, "hi from wechat");
    assert.equal(message.from, page.data.nickname);
    await until(() => page.data.draft === "", "the draft to clear");

    // WeChat kills sockets of an app left in the background; coming back, the page reconnects and rejoins.
    host.state.background();
    await until(() => page.data.status !== "connected" && page.data.room === "", "the background kill");
    host.state.foreground();
    await until(() => page.data.status === "connected" && page.data.room === "general", "a rejoin");
    const again = new Promise<any>((resolve) => peer.on("message", (m: any) => m.text === "back" && resolve(m)));
    page.onInput({ detail: { value: "back" } });
    page.onSend();
    assert.equal((await within(again, "the message sent after the rejoin")).from, page.data.nickname);

    const nickname = page.data.nickname as string;
    const left = new Promise<void>((resolve) =>
      peer.on("members", (e: { members: { nickname: string }[] }) => {
        if (!e.members.some((m) => m.nickname === nickname)) resolve();
      }),
    );
    page.onUnload();
    await within(left, "the peer to see the page leave");
    assert.equal(page.data.status, "disconnected");
  } finally {
    peer.close();
    host.state.dispose();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
