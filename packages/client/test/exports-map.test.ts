/** Every entry of the package `exports` map resolves: ESM `import` and CJS `require` (STYLE habit 16). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

interface Conditions {
  import: { types: string; default: string };
  require: { types: string; default: string };
}
const PKG_URL = new URL("../package.json", import.meta.url);
const pkg = JSON.parse(readFileSync(PKG_URL, "utf8")) as { exports: Record<string, Conditions | string> };
const require = createRequire(import.meta.url);
const SUBPATHS = Object.keys(pkg.exports).filter((k) => typeof pkg.exports[k] !== "string");
const EXPECTED: Record<string, string[]> = {
  ".": ["Manager", "Socket", "createIo", "EngineSocket", "ClientError"],
  "./node": ["io", "connect", "createNodePlatform", "CookieJar"],
  "./browser": ["io", "connect", "createBrowserPlatform"],
  "./react-native": ["io", "connect", "createReactNativePlatform"],
  "./bun": ["io", "connect", "createBunPlatform"],
  "./deno": ["io", "connect", "createDenoPlatform"],
};

test("the exports map has the documented subpaths", () => {
  for (const subpath of [".", "./browser", "./node", "./react-native", "./bun", "./deno"]) {
    assert.ok(SUBPATHS.includes(subpath), subpath);
  }
});

for (const subpath of SUBPATHS) {
  const specifier = "@omnio/client" + subpath.slice(1);

  test(`import("${specifier}") and require("${specifier}") give the same names`, async () => {
    const esm = (await import(specifier)) as Record<string, unknown>;
    const cjs = require(specifier) as Record<string, unknown>;
    for (const name of EXPECTED[subpath] ?? []) {
      assert.equal(typeof esm[name], "function", `import ${specifier}: ${name}`);
      assert.equal(typeof cjs[name], "function", `require ${specifier}: ${name}`);
    }
    assert.deepEqual(Object.keys(cjs).sort(), Object.keys(esm).sort());
    const entry = pkg.exports[subpath] as Conditions;
    for (const file of [entry.import.types, entry.import.default, entry.require.types, entry.require.default]) {
      assert.ok(existsSync(new URL(file, PKG_URL)), `${subpath}: ${file} exists`);
    }
  });
}

test("require() resolves to the CommonJS build, one module per file (one shared core)", () => {
  assert.match(require.resolve("@omnio/client"), /dist[\\/]cjs[\\/]index\.js$/);
  assert.match(require.resolve("@omnio/client/node"), /dist[\\/]cjs[\\/]platforms[\\/]node[\\/]index\.js$/);
  const io = require("../dist/cjs/socketio/lookup.js") as Record<string, unknown>;
  const core = require("@omnio/client") as Record<string, unknown>;
  assert.equal(core.createIo, io.createIo);
});

test("the string entries resolve to files", () => {
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target !== "string") continue;
    assert.ok(existsSync(new URL(target, PKG_URL)), `${subpath}: ${target}`);
    assert.equal(require.resolve("@omnio/client" + subpath.slice(1)), new URL(target, PKG_URL).pathname);
  }
});
