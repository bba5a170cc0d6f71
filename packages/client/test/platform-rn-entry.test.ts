/**
 * `@omnio/client/react-native` for resolvers that ignore the `exports` map (Metro before its
 * package-exports support, RN < 0.79 by default): they resolve the subpath as a folder,
 * `node_modules/@omnio/client/react-native`, and read that folder's package.json
 * (`react-native`, then `main`). The folder must be in the published files and point at real
 * builds that export the same names as the `exports` entry.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const PKG = fileURLToPath(new URL("../", import.meta.url));
const FOLDER = PKG + "react-native/";
const require = createRequire(import.meta.url);

test("the react-native folder entry resolves by file path to the same build as the exports entry", async () => {
  const folder = JSON.parse(readFileSync(FOLDER + "package.json", "utf8")) as Record<string, string>;
  const pkg = JSON.parse(readFileSync(PKG + "package.json", "utf8")) as { files: string[] };
  assert.ok(pkg.files.includes("react-native"), "published with the package");
  for (const field of ["react-native", "main", "module", "types"]) {
    assert.ok(existsSync(FOLDER + folder[field]), `${field}: ${folder[field]} exists`);
  }
  // Metro's order: the "react-native" field, then "main" (CommonJS).
  const viaMetro = require(FOLDER + folder["react-native"]) as Record<string, unknown>;
  const viaExports = require("@omnio/client/react-native") as Record<string, unknown>;
  assert.equal(viaMetro.createReactNativePlatform, viaExports.createReactNativePlatform, "one module, not a copy");
  assert.equal(typeof viaMetro.io, "function");
  const esm = (await import(pathToFileURL(FOLDER + folder.module).href)) as Record<string, unknown>;
  const esmExports = (await import("@omnio/client/react-native")) as Record<string, unknown>;
  assert.equal(esm.createReactNativePlatform, esmExports.createReactNativePlatform);
});
