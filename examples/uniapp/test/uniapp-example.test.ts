/**
 * examples/uniapp's page, run as a uni-app build runs it: the `<script>` of `pages/index/index.vue`
 * is bundled (esbuild, resolving `@omnio/client/uniapp` as the uni-app toolchain does through the
 * package's exports) and evaluated in a `node:vm` context that has only a simulated `uni`
 * (packages/client/test/hosts: the mini-program, H5 and App flavours, over real sockets),
 * `getApp`, timers and `console`. The component's options are driven as Vue's options API would
 * (`data()`, `onLoad`, methods with `this`), against the real chat demo server on 127.0.0.1,
 * with the official socket.io-client as the other person. The template is checked to use only
 * names the component defines; rendering it needs uni-app's compiler.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { build } from "esbuild";
import { io as peerIo } from "socket.io-client";
import { start } from "@omnio/example-chat";
import { createUniHost, type UniFlavor } from "../../../packages/client/dist-test/hosts/sim-hosts.js";
import { until, within } from "../../../packages/client/dist-test/hosts/waits.js";

const PAGE_DIR = fileURLToPath(new URL("../pages/index/", import.meta.url));
const SFC = readFileSync(PAGE_DIR + "index.vue", "utf8");

function block(tag: string): string {
  const match = new RegExp(`<${tag}[^>]*>([\\s\\S]*)</${tag}>`).exec(SFC);
  assert.ok(match, `index.vue has a <${tag}>`);
  return match[1]!;
}

async function bundlePageScript(): Promise<string> {
  const script = block("script");
  assert.match(script, /from "@omnio\/client\/uniapp"/);
  const out = await build({
    stdin: { contents: script, resolveDir: PAGE_DIR, sourcefile: "index.vue.js", loader: "js" },
    bundle: true,
    write: false,
    format: "iife",
    globalName: "__page",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2018",
    logLevel: "silent",
  });
  return out.outputFiles[0]!.text;
}

test("the page's template uses only names its component defines", () => {
  const template = block("template");
  const expressions = [
    ...[...template.matchAll(/\{\{([^}]*)\}\}/g)].map((m) => m[1]!),
    ...[...template.matchAll(/(?:v-model|v-if|v-for|@[\w-]+|:[\w-]+)="([^"]*)"/g)].map((m) => m[1]!),
  ];
  const used = new Set<string>();
  for (const expression of expressions) {
    const code = expression.replace(/'[^']*'/g, "");
    for (const m of code.matchAll(/(?<![.\w$])([A-Za-z_$][\w$]*)/g)) used.add(m[1]!);
  }
  assert.ok(used.has("send") && used.has("draft") && used.has("messages"), [...used].join(","));
  const script = block("script");
  const local = new Set(["message", "in"]); // the v-for variable and keyword
  for (const name of used) {
    if (local.has(name)) continue;
    assert.match(script, new RegExp(`\\b${name}(:|\\()`), `"${name}" is in data() or methods`);
  }
});

for (const flavor of ["mp-weixin", "h5", "app"] as UniFlavor[]) {
  test(`[uni ${flavor}] the page joins the chat, receives a message, sends one, leaves on unload`, async () => {
    const code = await bundlePageScript();
    const server = await start({ port: 0, host: "127.0.0.1" });
    const host = createUniHost(flavor);
    const peer = peerIo(server.url, { transports: ["websocket"] });
    try {
      const context = vm.createContext({
        uni: host.api,
        getApp: () => ({ globalData: { serverUrl: server.url } }),
        console,
        setTimeout,
        clearTimeout,
        setInterval,
        clearInterval,
      });
      vm.runInContext(code, context, { filename: "pages/index/index.vue" });
      const options = (context as { __page: { default: Record<string, any> } }).__page.default;
      // Vue's options API: one `this` with data() and the methods.
      const page: Record<string, any> = { ...options.data() };
      for (const [name, fn] of Object.entries(options.methods as Record<string, (...a: unknown[]) => unknown>)) {
        page[name] = fn.bind(page);
      }
      options.onLoad.call(page, {});
      await until(() => page.status === "connected" && page.room === "general", "the page to join #general");
      assert.ok(host.state.connects.length >= 1, "connected through uni.connectSocket");

      assert.equal((await peer.timeout(3000).emitWithAck("hello", "peer")).ok, true);
      assert.equal((await peer.timeout(3000).emitWithAck("join", "general")).ok, true);
      await until(() => page.members.includes("peer"), "peer in the member list");
      await peer.timeout(3000).emitWithAck("message", "hello uni");
      await until(() => page.messages.some((m: any) => m.text === "hello uni"), "peer's message");

      const received = new Promise<any>((resolve) => peer.on("message", (m: any) => m.from !== "peer" && resolve(m)));
      page.draft = " from uni-app ";
      page.send();
      const message = await within(received, "the page's message at the peer");
      assert.equal(message.text, "from uni-app");
      assert.equal(message.from, page.nickname);
      await until(() => page.draft === "", "the draft to clear");

      const left = new Promise<void>((resolve) =>
        peer.on("members", (e: { members: { nickname: string }[] }) => {
          if (!e.members.some((m) => m.nickname === page.nickname)) resolve();
        }),
      );
      options.onUnload.call(page);
      await within(left, "the peer to see the page leave");
      assert.equal(page.status, "disconnected");
    } finally {
      peer.close();
      host.state.dispose();
      await server.close();
    }
  });
}
