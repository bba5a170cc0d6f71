/**
 * The single-file mini-program bundles (dist/bundle/miniprogram/<host>.js and .mjs):
 * - a static scan: no eval, no new Function, no globalThis/global, no Proxy, no queueMicrotask,
 *   no browser or Node globals;
 * - each CommonJS bundle runs in a node:vm context whose global object has only the host's API
 *   object (a simulated host created outside with real I/O), timers and console, with
 *   `globalThis` deleted (Alipay forbids it) and `Promise` replaced by a setTimeout-based one
 *   (iOS ≤ 15 mini programs), and completes connect → emit/ack → server event → host drops the
 *   link → reconnect → emit/ack against a real omnio server, through the entry's own `io()`
 *   (which finds the host by its global name).
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { startSio, nextServerSocket, until } from "./support/sio.js";
import {
  createAlipayHost,
  createTaroHost,
  createTtHost,
  createUniHost,
  createWxLikeHost,
  type SimHost,
} from "./hosts/sim-hosts.js";

const dir = fileURLToPath(new URL("../dist/bundle/miniprogram/", import.meta.url));

/** Each bundle, the global name its host API lives under, and a sim of that host. */
const BUNDLES: readonly { file: string; global: string; sim: () => SimHost }[] = [
  { file: "wechat", global: "wx", sim: () => createWxLikeHost() },
  { file: "qq", global: "qq", sim: () => createWxLikeHost() },
  { file: "baidu", global: "swan", sim: () => createWxLikeHost() },
  { file: "kuaishou", global: "ks", sim: () => createWxLikeHost() },
  { file: "jd", global: "jd", sim: () => createWxLikeHost() },
  { file: "bytedance", global: "tt", sim: () => createTtHost() },
  { file: "alipay", global: "my", sim: () => createAlipayHost() },
  { file: "uniapp", global: "uni", sim: () => createUniHost("mp-weixin") },
  { file: "taro", global: "Taro", sim: () => createTaroHost("weapp") },
  { file: "auto", global: "tt", sim: () => createTtHost() },
];

const FORBIDDEN: readonly [RegExp, string][] = [
  [/\beval\s*\(/, "eval"],
  [/\bnew\s+Function\b/, "new Function"],
  [/\bFunction\s*\(/, "Function()"],
  [/\bglobalThis\b/, "globalThis"],
  [/\bglobal\b/, "global"],
  [/\bProxy\b/, "Proxy"],
  [/\bqueueMicrotask\b/, "queueMicrotask"],
  [/\bprocess\b/, "process"],
  [/\bBuffer\b/, "Buffer"],
  [
    /\b(window|document|navigator|location|XMLHttpRequest|fetch|FileReader|TextEncoder|TextDecoder|atob|btoa)\b/,
    "browser global",
  ],
  [/\brequire\s*\(/, "require()"],
  [/^\s*import\b|\bimport\s*\(/m, "import"],
];

describe("mini-program bundles: static scan", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".js") || f.endsWith(".mjs"));
  test("one CommonJS and one ES module bundle per host entry", () => {
    for (const { file } of BUNDLES) {
      assert.ok(files.includes(`${file}.js`), `${file}.js`);
      assert.ok(files.includes(`${file}.mjs`), `${file}.mjs`);
    }
  });
  for (const file of files) {
    test(`${file} has no eval, new Function, globalThis/global, Proxy, microtask or host-global use`, () => {
      const code = readFileSync(dir + file, "utf8");
      for (const [pattern, what] of FORBIDDEN) {
        const match = pattern.exec(code);
        const around = match === null ? "" : code.slice(Math.max(0, match.index - 60), match.index + 40);
        assert.ok(match === null, `${file} contains ${what}: …${around}…`);
      }
    });
  }
});

/** A Promise whose callbacks run as macrotasks (setTimeout), as on iOS ≤ 15 mini programs. */
const MACROTASK_PROMISE = `
(function () {
  function P(executor) {
    var self = this; self._s = 0; self._v = undefined; self._q = [];
    function settle(s, v) { if (self._s) return; if (s === 1 && v && typeof v.then === "function") { v.then(function (x) { settle(1, x); }, function (e) { settle(2, e); }); return; } self._s = s; self._v = v; var q = self._q; self._q = []; q.forEach(run); }
    function run(h) { setTimeout(function () { var cb = self._s === 1 ? h.ok : h.ko; if (typeof cb !== "function") { (self._s === 1 ? h.res : h.rej)(self._v); return; } try { h.res(cb(self._v)); } catch (e) { h.rej(e); } }, 0); }
    self._run = run;
    try { executor(function (v) { settle(1, v); }, function (e) { settle(2, e); }); } catch (e) { settle(2, e); }
  }
  P.prototype.then = function (ok, ko) { var self = this; return new P(function (res, rej) { var h = { ok: ok, ko: ko, res: res, rej: rej }; if (self._s) self._run(h); else self._q.push(h); }); };
  P.prototype.catch = function (ko) { return this.then(undefined, ko); };
  P.prototype.finally = function (f) { return this.then(function (v) { f(); return v; }, function (e) { f(); throw e; }); };
  P.resolve = function (v) { return new P(function (r) { r(v); }); };
  P.reject = function (e) { return new P(function (_r, j) { j(e); }); };
  Promise = P;
})();
`;

describe("mini-program bundles in a bare node:vm context (omnio server)", () => {
  for (const bundle of BUNDLES) {
    test(`${bundle.file}.js with only \`${bundle.global}\`: connect, ack, server event, host drop → reconnect, ack`, async () => {
      const srv = await startSio("omnio");
      const host = bundle.sim();
      try {
        const sandbox: Record<string, unknown> = {
          [bundle.global]: host.api,
          setTimeout,
          clearTimeout,
          console,
        };
        const context = vm.createContext(sandbox);
        vm.runInContext("delete globalThis.globalThis;" + MACROTASK_PROMISE, context);
        for (const name of [
          "window",
          "document",
          "navigator",
          "XMLHttpRequest",
          "WebSocket",
          "Blob",
          "TextEncoder",
          "globalThis",
          "global",
          "process",
          "fetch",
        ]) {
          assert.equal(
            vm.runInContext(`typeof ${name}`, context),
            "undefined",
            `${name} must not exist in the context`,
          );
        }
        const code = readFileSync(dir + bundle.file + ".js", "utf8");
        vm.runInContext(
          `var module = { exports: {} }; (function (module, exports) {\n${code}\n})(module, module.exports);`,
          context,
          {
            filename: bundle.file + ".js",
          },
        );
        const lib = vm.runInContext("module.exports", context) as { io: (url: string, options?: object) => any };
        assert.equal(typeof lib.io, "function");
        srv.io.on("connection", (s: any) => {
          s.on("echo", (value: unknown, ack: (v: unknown) => void) => ack(value));
          s.emit("hello", "from server");
        });
        const serverSocket = nextServerSocket(srv.io);
        const socket = lib.io(srv.url, { reconnectionDelay: 50, reconnectionDelayMax: 200 });
        const events: string[] = [];
        socket.on("hello", (text: string) => events.push(text));
        socket.on("connect", () => events.push("connect"));
        socket.on("disconnect", (reason: string) => events.push("disconnect " + reason));
        await until(() => socket.connected === true && events.includes("from server"), 5000, "connect + server event");
        const s = await serverSocket;
        assert.equal(socket.id, s.id);
        assert.equal(
          await socket
            .timeout(2000)
            .emitWithAck("echo", { n: 1 })
            .then((v: { n: number }) => v.n),
          1,
        );
        host.state.dropSockets();
        await until(() => events.filter((e) => e === "connect").length === 2, 5000, "reconnect");
        assert.equal(await socket.timeout(2000).emitWithAck("echo", "again"), "again");
        assert.deepEqual(
          events.filter((e) => !e.startsWith("from")),
          ["connect", "disconnect transport close", "connect"],
        );
        socket.disconnect();
      } finally {
        host.state.dispose();
        await srv.close();
      }
    });
  }
});
