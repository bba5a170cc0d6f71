/**
 * examples/taro: the page's chat service (`src/services/chat.js`, which the React page calls with
 * the Taro object) is bundled with esbuild (resolving `@omnio/client/taro` through the package's
 * exports, as Taro's webpack build does) and run in a `node:vm` context with no browser or Node
 * globals, given a simulated `Taro` (packages/client/test/hosts: `connectSocket` returning
 * `Promise<SocketTask>`; the WeChat target and the Alipay target whose task is the one global
 * socket), against the real chat demo server on 127.0.0.1 with the official socket.io-client as
 * the other person. The page itself (`index.jsx`) is compiled (JSX → JS) to catch syntax errors
 * and checked to hand the Taro object to the service; rendering it needs Taro and React.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { build, transform } from "esbuild";
import { io as peerIo } from "socket.io-client";
import { start } from "@omnio/example-chat";
import { createTaroHost, type TaroTarget } from "../../../packages/client/dist-test/hosts/sim-hosts.js";
import { until, within } from "../../../packages/client/dist-test/hosts/waits.js";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

test("the page compiles and passes the Taro object, the server URL and a state callback to the chat service", async () => {
  const source = readFileSync(SRC + "pages/index/index.jsx", "utf8");
  const out = await transform(source, { loader: "jsx", jsx: "automatic", format: "esm" });
  assert.ok(out.code.length > 0);
  assert.match(source, /import Taro from "@tarojs\/taro";/);
  assert.match(source, /import \{ createChat \} from "..\/..\/services\/chat";/);
  assert.match(source, /createChat\(\{\s*Taro,\s*url: SERVER_URL,/);
  assert.match(source, /return \(\) => client\.current\.close\(\);/, "the socket closes when the page unmounts");
});

for (const target of ["weapp", "alipay"] as TaroTarget[]) {
  test(`[Taro ${target}] the chat service joins, receives a message, sends one, closes`, async () => {
    const bundled = await build({
      entryPoints: [SRC + "services/chat.js"],
      bundle: true,
      write: false,
      format: "iife",
      globalName: "__chat",
      platform: "neutral",
      mainFields: ["module", "main"],
      target: "es2018",
      logLevel: "silent",
    });
    const server = await start({ port: 0, host: "127.0.0.1" });
    const host = createTaroHost(target);
    const peer = peerIo(server.url, { transports: ["websocket"] });
    try {
      const context = vm.createContext({ console, setTimeout, clearTimeout, setInterval, clearInterval });
      vm.runInContext(bundled.outputFiles[0]!.text, context, { filename: "services/chat.js" });
      const { createChat } = (context as { __chat: { createChat: (o: unknown) => any } }).__chat;
      const view: Record<string, any> = { members: [], messages: [] };
      const chat = createChat({
        Taro: host.api,
        url: server.url,
        nickname: "taro-1",
        room: "general",
        onUpdate: (patch: Record<string, unknown>) => Object.assign(view, patch),
      });
      await until(() => view.status === "connected" && view.room === "general", "the chat to join #general");

      assert.equal((await peer.timeout(3000).emitWithAck("hello", "peer")).ok, true);
      assert.equal((await peer.timeout(3000).emitWithAck("join", "general")).ok, true);
      await until(() => view.members.includes("peer"), "peer in the member list");
      await peer.timeout(3000).emitWithAck("message", "hello taro");
      await until(() => view.messages.some((m: any) => m.text === "hello taro"), "peer's message");

      const received = new Promise<any>((resolve) => peer.on("message", (m: any) => m.from === "taro-1" && resolve(m)));
      const sent = new Promise<boolean>((resolve) => chat.send("from taro", resolve));
      assert.equal((await within(received, "the message at the peer")).text, "from taro");
      assert.equal(await within(sent, "the send acknowledgement"), true);

      const left = new Promise<void>((resolve) =>
        peer.on("members", (e: { members: { nickname: string }[] }) => {
          if (!e.members.some((m) => m.nickname === "taro-1")) resolve();
        }),
      );
      chat.close();
      await within(left, "the peer to see the chat leave");
      assert.equal(view.status, "disconnected");
    } finally {
      peer.close();
      host.state.dispose();
      await server.close();
    }
  });
}
