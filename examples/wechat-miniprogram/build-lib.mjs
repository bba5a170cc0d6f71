#!/usr/bin/env node
// Copies the omnio WeChat client into this mini program as one CommonJS file, lib/omnio-wechat.js,
// so it runs without the DevTools "build npm" step. Run after `npm run build` at the repository
// root:  node examples/wechat-miniprogram/build-lib.mjs [outfile]
//
// The bundle is the @omnio/client/wechat entry (ESM dist) with everything it imports, lowered to
// ES2018 (private class fields become WeakMaps: older WeChat clients' JavaScriptCore lacks them).
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outfile = process.argv[2] ?? join(here, "lib", "omnio-wechat.js");

await build({
  stdin: {
    contents: 'export * from "@omnio/client/wechat";',
    resolveDir: here,
    sourcefile: "omnio-wechat-entry.js",
  },
  outfile,
  bundle: true,
  format: "cjs",
  platform: "neutral",
  mainFields: ["module", "main"],
  target: "es2018",
  legalComments: "none",
  logLevel: "warning",
});
console.log(`wrote ${outfile}`);
