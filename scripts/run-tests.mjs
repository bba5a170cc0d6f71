#!/usr/bin/env node
// Runs every compiled test file (`dist-test/**/*.test.js`) with Node's test runner.
// Files run in parallel processes; each test binds its own free ports on 127.0.0.1.
// Usage: node scripts/run-tests.mjs [substring filter...]
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { availableParallelism } from "node:os";

const root = new URL("..", import.meta.url).pathname;
const filters = process.argv.slice(2);
const files = [];
function walk(dir, inTests) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, inTests || name === "dist-test");
    else if (inTests && name.endsWith(".test.js")) files.push(path);
  }
}
for (const top of ["packages", "examples", "bench"]) {
  try {
    walk(join(root, top), false);
  } catch {
    /* folder absent */
  }
}
const selected = files.filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (selected.length === 0) {
  console.error("run-tests: no test files found; did `npm run build` run?");
  process.exit(1);
}
console.log(`run-tests: ${selected.length} files\n` + selected.map((f) => "  " + relative(root, f)).join("\n"));
const concurrency = Math.max(2, Math.min(4, availableParallelism() * 2));
const child = spawn(
  process.execPath,
  // A hung test fails after 3 minutes instead of hanging the run (and CI's 90-minute budget).
  ["--test", `--test-concurrency=${concurrency}`, "--test-timeout=180000", "--test-reporter=spec", ...selected],
  { stdio: "inherit", cwd: root },
);
// A test file that never exits (a leaked handle) would hang the run: the whole run is bounded.
const runLimitMs = Number(process.env["RUN_TESTS_LIMIT_MS"] ?? 30 * 60_000);
const watchdog = setTimeout(() => {
  console.error(
    `run-tests: still running after ${runLimitMs / 60_000} min; a test file did not exit. Failing the run.`,
  );
  child.kill("SIGKILL");
}, runLimitMs);
watchdog.unref();
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
