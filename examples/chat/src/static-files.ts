/** The page's files (`public/`), read once at start and served from memory. */
import { readdirSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { extname, join } from "node:path";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

export interface StaticFile {
  type: string;
  body: Buffer;
}

/** URL path → file, for each file directly in `dir`; `/` is `index.html`. */
export function loadStatic(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type === undefined) continue;
    const file = { type, body: readFileSync(join(dir, name)) };
    files.set("/" + name, file);
    if (name === "index.html") files.set("/", file);
  }
  return files;
}

/** Answers with security headers that keep the page to its own scripts (no inline script runs). */
export function sendStatic(res: ServerResponse, file: StaticFile, head: boolean): void {
  res.writeHead(200, {
    "content-type": file.type,
    "content-length": file.body.length,
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
    "content-security-policy":
      "default-src 'self'; img-src 'self' blob:; connect-src 'self' ws: wss:; style-src 'self'; script-src 'self'",
  });
  res.end(head ? undefined : file.body);
}
