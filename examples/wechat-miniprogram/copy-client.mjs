#!/usr/bin/env node
// Copies the omnio WeChat client into this mini program as lib/omnio-wechat.js, so it runs
// without the DevTools "Build npm" step. Run after `npm run build` at the repository root:
//   node examples/wechat-miniprogram/copy-client.mjs [outfile]
//
// The file is @omnio/client's mini-program bundle for WeChat (dist/bundle/miniprogram/wechat.js):
// one self-contained CommonJS file, ES2018, checked by the client's tests to contain no eval,
// new Function, globalThis or Proxy.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outfile = process.argv[2] ?? join(here, "lib", "omnio-wechat.js");
const client = dirname(createRequire(import.meta.url).resolve("@omnio/client/package.json"));
const bundle = join(client, "dist", "bundle", "miniprogram", "wechat.js");
if (!existsSync(bundle)) {
  console.error(`${bundle} is missing: run \`npm run build\` at the repository root first.`);
  process.exit(1);
}
mkdirSync(dirname(outfile), { recursive: true });
copyFileSync(bundle, outfile);
console.log(`copied ${bundle} to ${outfile}`);
