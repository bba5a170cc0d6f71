/** Core code (engine, platform contract, Socket.IO layer) never touches host globals (STYLE habit 4). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const SRC = new URL("../src/", import.meta.url).pathname;
const CORE_DIRS = ["engine", "platform", "socketio"];
const FORBIDDEN =
  /\b(window|document|navigator|process|Buffer|WebSocket|fetch|XMLHttpRequest|wx|my|tt|uni|swan|globalThis|require)\b(?=\s*[.([])/;

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
}

test("core files use no host globals and import no platform or node modules", () => {
  for (const dir of CORE_DIRS) {
    for (const name of readdirSync(join(SRC, dir))) {
      const code = stripComments(readFileSync(join(SRC, dir, name), "utf8"));
      assert.doesNotMatch(code, FORBIDDEN, `${dir}/${name} touches a host global`);
      assert.doesNotMatch(code, /from\s+"(node:|ws"|\.\.\/platforms)/, `${dir}/${name} imports platform code`);
    }
  }
});

test("no eval, new Function or Proxy anywhere in the client", () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  for (const file of walk(SRC)) {
    const code = stripComments(readFileSync(file, "utf8"));
    assert.doesNotMatch(code, /\beval\s*\(|new\s+Function\b|new\s+Proxy\b/, file);
  }
});
