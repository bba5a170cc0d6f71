/**
 * The codecs are pure and portable (STYLE §3, §4, §5): the compiled package touches no Node
 * or browser global, no timers, no dynamic code, and imports nothing but its own files.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dist = dirname(fileURLToPath(import.meta.resolve("@omnio/protocol")));

/** Compiled code without comments (they may name `Buffer` to explain why it is not used). */
function code(file: string): string {
  return readFileSync(join(dist, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "")
    .replace(/\s\/\/ .*$/gm, "");
}

const FORBIDDEN = [
  "Buffer",
  "process",
  "global",
  "globalThis",
  "window",
  "document",
  "self",
  "navigator",
  "setTimeout",
  "setInterval",
  "setImmediate",
  "queueMicrotask",
  "require",
  "TextEncoder",
  "TextDecoder",
  "atob",
  "btoa",
  "eval",
  "Function",
  "Proxy",
  "wx",
  "my",
  "tt",
  "uni",
  "fetch",
  "WebSocket",
  "XMLHttpRequest",
  "console",
];

test("compiled codecs use no platform globals and import only their own files", () => {
  const files = readdirSync(dist).filter((f) => f.endsWith(".js"));
  assert.ok(files.length >= 10, `expected the compiled package in ${dist}`);
  for (const file of files) {
    const text = code(file);
    for (const name of FORBIDDEN) {
      const used = new RegExp(`(?<![\\w$.#"'])${name}(?![\\w$"'])`).exec(text);
      assert.equal(used, null, `${file} uses ${name}: …${used ? text.slice(used.index - 40, used.index + 40) : ""}…`);
    }
    for (const m of text.matchAll(/\bfrom\s+["']([^"']+)["']|\bimport\s*\(/g)) {
      assert.ok(m[1]?.startsWith("./"), `${file} imports ${m[0]}`);
    }
  }
});
