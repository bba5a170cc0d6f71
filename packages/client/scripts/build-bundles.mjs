#!/usr/bin/env node
// Builds what `tsc -b` does not: run after it (root `npm run build`), from the compiled ESM in dist/.
//
// 1. dist/cjs/**: a CommonJS copy of every dist/**/*.js file, one file per module (so `require`
//    of `@omnio/client`, `/node` and `/browser` share one `Manager`/`Socket`/error class), with
//    `@omnio/protocol` (ESM only) bundled once into dist/cjs/protocol.js. dist/cjs/package.json
//    says `"type": "commonjs"`.
// 2. dist/bundle/omnio.min.js (+ .map): one minified IIFE of the browser entry for a `<script>`
//    tag; it defines the globals `omnio` (every export) and `io` (socket.io-client's name).
//
// `--marginal` prints what each module costs the bundle: the bundle is rebuilt with that module's
// code replaced by empty stubs of its exports; the gzip difference is the module's own bytes minus
// what gzip shares with the rest (slow: one build per module).
//
// `--analyze` also prints what takes the bytes of the bundle: per module, its minified bytes in
// the bundle and its size gzipped alone (a module's share of the bundle's gzip is smaller, since
// gzip shares repeated names across modules).
import { build } from "esbuild";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { INTERNAL_PROPS } from "./bundle-internal-props.mjs";

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(pkg, "dist");
const cjsDir = join(dist, "cjs");
const bundleDir = join(dist, "bundle");
const require = createRequire(join(pkg, "package.json"));

/** Every compiled ESM module of the package (dist/**\/*.js, not the outputs of this script). */
function modules(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (path !== cjsDir && path !== bundleDir) out.push(...modules(path));
    } else if (name.endsWith(".js")) out.push(path);
  }
  return out;
}

/** Keeps every import external; `@omnio/protocol` points at the bundled CJS copy. */
const keepImports = {
  name: "keep-imports",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      if (args.path === "@omnio/protocol") {
        const from = dirname(join(cjsDir, relative(dist, args.importer)));
        let rel = relative(from, join(cjsDir, "protocol.js")).split(sep).join("/");
        if (!rel.startsWith(".")) rel = "./" + rel;
        return { path: rel, external: true };
      }
      return { path: args.path, external: true };
    });
  },
};

/**
 * The `<script>` bundle only: the protocol's pure base64 and UTF-8 code is replaced by
 * dist/platforms/browser/native-base64.js and native-utf8.js (same API, results and errors, on
 * the host's `btoa`/`atob` and `TextEncoder`/`TextDecoder`).
 */
const nativeCodecs = {
  name: "native-codecs",
  setup(b) {
    b.onResolve({ filter: /^\.\/(base64|utf8)\.js$/ }, (args) =>
      args.importer.includes(`${sep}protocol${sep}dist${sep}`)
        ? { path: join(dist, "platforms", "browser", `native-${args.path.slice(2)}`) }
        : undefined,
    );
  },
};

rmSync(cjsDir, { recursive: true, force: true });
rmSync(bundleDir, { recursive: true, force: true });
mkdirSync(cjsDir, { recursive: true });
writeFileSync(join(cjsDir, "package.json"), '{ "type": "commonjs" }\n');

const common = { logLevel: "warning", legalComments: "none" };
const analyze = process.argv.includes("--analyze");
/** The `<script>` bundle (also rebuilt by `--marginal` with one module stubbed at a time). */
const browserOptions = {
  ...common,
  stdin: {
    // The globals as plain assignments: an IIFE with `globalName` would add esbuild's
    // ES-module interop helpers (getters, `__esModule`) for nothing a `<script>` user reads.
    contents: [
      'import { io, createBrowserPlatform } from "./dist/platforms/browser/index.js";',
      'import { Manager, Socket, EngineSocket, ClientError, EngineError } from "./dist/index.js";',
      "globalThis.omnio = { io, connect: io, lookup: io, default: io, createBrowserPlatform,",
      "  Manager, Socket, EngineSocket, ClientError, EngineError };",
      "globalThis.io = io;",
    ].join("\n"),
    resolveDir: pkg,
    sourcefile: "omnio-browser-global.js",
  },
  outfile: join(bundleDir, "omnio.min.js"),
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: true,
  metafile: analyze,
  plugins: [nativeCodecs],
  // Internal-only property names, shortened (see scripts/bundle-internal-props.mjs).
  mangleProps: new RegExp(`^(${INTERNAL_PROPS.join("|")})$`),
};

const [, , browser] = await Promise.all([
  build({
    ...common,
    entryPoints: modules(dist),
    outbase: dist,
    outdir: cjsDir,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node18",
    plugins: [keepImports],
  }),
  build({
    ...common,
    entryPoints: [require.resolve("@omnio/protocol")],
    outfile: join(cjsDir, "protocol.js"),
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node18",
  }),
  build(browserOptions),
]);

if (analyze) {
  const output = Object.entries(browser.metafile.outputs).find(([file]) => file.endsWith(".js"))[1];
  const rows = [];
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (bytesInOutput === 0 || file.endsWith("omnio-browser-global.js")) continue;
    const alone = await build({
      entryPoints: [file],
      minify: true,
      write: false,
      format: "esm",
      target: "es2022",
    });
    rows.push([file, bytesInOutput, gzipSync(alone.outputFiles[0].contents, { level: 9 }).length]);
  }
  rows.sort((a, b) => b[1] - a[1]);
  for (const [file, bytes, gz] of rows)
    console.log(`${String(bytes).padStart(7)} B  ${String(gz).padStart(6)} B gz alone  ${file}`);
  console.log(`${String(output.bytes).padStart(7)} B  total; the bundle file gzipped: see test/bundle-size.test.ts`);
}

if (process.argv.includes("--marginal")) {
  const gz = (code) => gzipSync(code, { level: 9 }).length;
  const measure = async (stubbed) => {
    const stub = {
      name: "stub",
      setup(b) {
        b.onLoad({ filter: /\.js$/ }, async (args) => {
          if (args.path !== stubbed) return undefined;
          const alone = await build({ entryPoints: [args.path], write: false, metafile: true, format: "esm" });
          const names = Object.values(alone.metafile.outputs)[0].exports;
          const line = (n) => (n === "default" ? "export default void 0;" : `export const ${n} = void 0;`);
          return { contents: names.map(line).join("\n"), loader: "js" };
        });
      },
    };
    const plugins = [stub, ...browserOptions.plugins];
    const result = await build({ ...browserOptions, write: false, metafile: true, plugins });
    const js = result.outputFiles.find((f) => f.path.endsWith(".js"));
    return { size: gz(js.contents), inputs: Object.keys(result.metafile.inputs) };
  };
  const base = await measure(undefined);
  const rows = [];
  for (const input of base.inputs) {
    if (input.includes("omnio-browser-global")) continue;
    const { size } = await measure(join(process.cwd(), input));
    rows.push([base.size - size, input]);
  }
  rows.sort((a, b) => b[0] - a[0]);
  for (const [bytes, file] of rows) console.log(`${String(bytes).padStart(6)} B marginal gzip  ${file}`);
  console.log(`${String(base.size).padStart(6)} B  the bundle, zlib level 9`);
}

// 3. Mini-program bundles (issue 4): dist/bundle/miniprogram/<host>.js (CommonJS) and <host>.mjs
//    (ES module), one self-contained file per host entry, so toolchains that copy files rather
//    than resolve `exports` (WeChat's npm build copies the folder named by package.json
//    "miniprogram") get one file with nothing to resolve. Target es2018 (private fields become
//    WeakMaps; older engines lack them). test/platform-mp-bundle.test.ts scans these files for
//    eval, new Function, globalThis/global, Proxy and runs each in a bare node:vm context.
async function buildMiniProgramBundles() {
  const hosts = ["wechat", "qq", "alipay", "bytedance", "baidu", "kuaishou", "jd", "uniapp", "taro", "auto"];
  const outDir = join(bundleDir, "miniprogram");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "package.json"), '{ "type": "commonjs" }\n');
  const formats = [
    ["cjs", ".js"],
    ["esm", ".mjs"],
  ];
  await Promise.all(
    hosts.flatMap((host) =>
      formats.map(([format, ext]) =>
        build({
          ...common,
          entryPoints: [join(dist, "platforms", host, "index.js")],
          outfile: join(outDir, host + ext),
          bundle: true,
          format,
          platform: "neutral",
          target: "es2018",
          minify: true,
        }),
      ),
    ),
  );
}
await buildMiniProgramBundles();
