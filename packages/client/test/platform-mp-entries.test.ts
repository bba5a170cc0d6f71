/**
 * Mini-program packaging: the subpath entries (`@omnio/client/wechat`, …), the real folders for
 * toolchains that resolve `require("@omnio/client/<host>")` by file path, the package's
 * `miniprogram` folder (WeChat's npm build), and the automatic entry's host detection.
 */
import { test, describe, afterEach } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { createAutoPlatform, detectHost, HOST_ORDER } from "@omnio/client/auto";
import { MiniProgramError } from "@omnio/client/miniprogram";
import { createWxLikeHost } from "./hosts/sim-hosts.js";

const PKG_DIR = fileURLToPath(new URL("../", import.meta.url));
const pkg = JSON.parse(readFileSync(PKG_DIR + "package.json", "utf8")) as {
  exports: Record<string, unknown>;
  files: string[];
  miniprogram: string;
};
const require = createRequire(import.meta.url);

const ENTRIES: readonly [string, string][] = [
  ["wechat", "createWechatPlatform"],
  ["qq", "createQqPlatform"],
  ["alipay", "createAlipayPlatform"],
  ["bytedance", "createBytedancePlatform"],
  ["baidu", "createBaiduPlatform"],
  ["kuaishou", "createKuaishouPlatform"],
  ["jd", "createJdPlatform"],
  ["uniapp", "createUniappPlatform"],
  ["taro", "createTaroPlatform"],
  ["auto", "createAutoPlatform"],
];

describe("mini-program entries", () => {
  for (const [host, factory] of ENTRIES) {
    test(`@omnio/client/${host}: exports map, real folder, miniprogram bundle`, async () => {
      assert.ok(pkg.exports[`./${host}`], "in the exports map");
      const esm = (await import(`@omnio/client/${host}`)) as Record<string, unknown>;
      for (const name of ["io", "connect", "lookup", factory, "MiniProgramError"]) {
        assert.equal(typeof esm[name], "function", `${host}: ${name}`);
      }
      // A toolchain that ignores `exports` reads <pkg>/<host>/package.json.
      const folder = JSON.parse(readFileSync(`${PKG_DIR}${host}/package.json`, "utf8")) as Record<string, string>;
      for (const field of ["main", "module", "types"]) {
        assert.ok(existsSync(PKG_DIR + host + "/" + folder[field]), `${host}/package.json ${field} → ${folder[field]}`);
      }
      assert.ok(pkg.files.includes(host), `"files" ships the ${host} folder`);
      const bundle = require(PKG_DIR + host) as Record<string, unknown>;
      assert.equal(typeof bundle.io, "function");
      assert.equal(typeof bundle[factory], "function");
      assert.ok(existsSync(`${PKG_DIR}${pkg.miniprogram}/${host}.js`), "WeChat npm build folder has it");
    });
  }

  test("@omnio/client/miniprogram: the shared platform", async () => {
    const esm = (await import("@omnio/client/miniprogram")) as Record<string, unknown>;
    for (const name of ["createHostPlatform", "createMiniProgramIo", "MiniProgramError", "CookieStore"]) {
      assert.equal(typeof esm[name], "function", name);
    }
    assert.ok(existsSync(PKG_DIR + "miniprogram/package.json"));
  });
});

describe("automatic host detection", () => {
  const g = globalThis as Record<string, unknown>;
  const names = ["wx", "my", "tt", "swan", "qq", "ks", "jd", "uni", "Taro"];
  afterEach(() => {
    for (const name of names) delete g[name];
  });

  test("nothing present → UNSUPPORTED_HOST", () => {
    assert.equal(detectHost(), undefined);
    assert.throws(
      () => createAutoPlatform(),
      (e: unknown) => e instanceof MiniProgramError && e.code === "UNSUPPORTED_HOST",
    );
  });

  test("picks by API object, native hosts before uni/Taro, in HOST_ORDER", () => {
    g.uni = createWxLikeHost().api;
    assert.equal(detectHost()?.name, "uniapp");
    g.wx = createWxLikeHost().api;
    assert.equal(detectHost()?.name, "wechat", "the native wx wins over uni (uni mini-program build)");
    g.tt = createWxLikeHost().api;
    assert.equal(detectHost()?.name, "bytedance", "tt before wx");
    g.my = createWxLikeHost().api;
    assert.equal(detectHost()?.name, "alipay");
    assert.equal(createAutoPlatform().name, "alipay");
    assert.deepEqual([...HOST_ORDER].slice(-3), ["wechat", "uniapp", "taro"]);
  });

  test("an object without connectSocket is not a host (e.g. a `wx` defined by something else)", () => {
    g.wx = { login() {} };
    assert.equal(detectHost(), undefined);
  });

  test("explicit override: host name, and host name + API object", () => {
    g.wx = createWxLikeHost().api;
    g.tt = createWxLikeHost().api;
    assert.equal(createAutoPlatform({ host: "wechat" }).name, "wechat");
    const taro = createWxLikeHost().api;
    assert.equal(createAutoPlatform({ host: "taro", api: taro as never }).name, "taro");
    assert.throws(() => createAutoPlatform({ host: "qq" }), /no `qq` API/);
    assert.throws(() => createAutoPlatform({ host: "nokia" as never }), TypeError);
  });
});
