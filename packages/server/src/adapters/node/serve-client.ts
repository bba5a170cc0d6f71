/**
 * `serveClient` (socket.io's option, on by default): answers `GET <path>/omnio.min.js` with
 * `@omnio/client`'s `<script>` bundle, plus `socket.io.js` / `socket.io.min.js` (the same
 * bundle, so pages written for socket.io's script tag keep working) and the `.map` of each.
 * `@omnio/client` is an optional peer dependency: when it cannot be resolved nothing is served
 * and every request goes on as before.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

/** The file names served under `<path>/`; the `.map` of each is served too. */
const SCRIPT_NAMES = new Set(["omnio.min.js", "socket.io.js", "socket.io.min.js"]);

interface ServedFile {
  body: Buffer;
  gzip: Buffer;
}

/** Where the installed `@omnio/client` keeps its bundle, or `undefined` when it is not installed. */
export function locateClientBundle(): { dir: string; version: string } | undefined {
  try {
    const pkgFile = createRequire(import.meta.url).resolve("@omnio/client/package.json");
    const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as { version?: unknown };
    return { dir: join(dirname(pkgFile), "dist", "bundle"), version: String(pkg.version) };
  } catch {
    return undefined;
  }
}

/** `W/"x"` and `"x"` both match `"x"`; `*` matches anything (RFC 9110 §13.1.2, weak comparison). */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === "W/" + etag;
  });
}

/** Serves the client bundle of one attached server; files are read (and gzipped) once, on first use. */
export class ClientFileServer {
  readonly #prefix: string;
  readonly #dir: string;
  readonly #etag: string;
  readonly #files = new Map<string, ServedFile | null>();

  /** `path` is the engine path (`/socket.io`); `bundle` comes from `locateClientBundle()`. */
  constructor(path: string, bundle: { dir: string; version: string }) {
    this.#prefix = path.replace(/\/$/, "") + "/";
    this.#dir = bundle.dir;
    this.#etag = `"${bundle.version}"`;
  }

  /** Answers the request and returns true when it asks for a served file; returns false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const pathname = q === -1 ? url : url.slice(0, q);
    if (!pathname.startsWith(this.#prefix)) return false;
    const name = pathname.slice(this.#prefix.length);
    const isMap = name.endsWith(".map");
    if (!SCRIPT_NAMES.has(isMap ? name.slice(0, -4) : name)) return false;
    const file = this.#load(isMap ? "omnio.min.js.map" : "omnio.min.js");
    if (file === undefined) return false;

    const headers: Record<string, string> = {
      "Content-Type": isMap ? "application/json; charset=utf-8" : "application/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=0",
      ETag: this.#etag,
      Vary: "Accept-Encoding",
    };
    if (etagMatches(req.headers["if-none-match"], this.#etag)) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip ? file.gzip : file.body;
    if (gzip) headers["Content-Encoding"] = "gzip";
    headers["Content-Length"] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  }

  #load(name: string): ServedFile | undefined {
    let file = this.#files.get(name);
    if (file === undefined) {
      try {
        const body = readFileSync(join(this.#dir, name));
        file = { body, gzip: gzipSync(body, { level: 9 }) };
      } catch {
        file = null; // not built: fall through to the engine, as without serveClient
      }
      this.#files.set(name, file);
    }
    return file ?? undefined;
  }
}
