/**
 * Runs one scenario against the example app built on a given `Server` class: starts the
 * app on 127.0.0.1 port 0, hands the scenario official clients, closes everything after.
 */
import { createHash } from "node:crypto";
import { request, type IncomingHttpHeaders, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Peer } from "./peer.js";

/** A socket.io-style `Server` class (socket.io's or omnio's). */
export type ServerClass = new (...args: any[]) => unknown;
export type Transports = ("polling" | "websocket")[];

interface App {
  io: unknown;
  httpServer: HttpServer;
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}
interface AppModule {
  createApp(Server: ServerClass, options?: Record<string, unknown>): App;
}

// The app is plain JavaScript, loaded as is: nothing in it is adapted for the tests.
const { createApp } = (await import(new URL("../../src/app.js", import.meta.url).href)) as AppModule;

/**
 * Short timeouts so that the "nobody answered" cases do not slow the suite down, yet long
 * enough for every answer on a loaded CI machine (answers take a few ms here).
 */
const APP_OPTIONS = { rollcallTimeout: 500, nudgeTimeout: 500, pollTimeout: 500 };

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Ctx {
  url: string;
  /** The clients' transports (`undefined`: the default, polling then websocket). */
  transports: Transports | undefined;
  /** A client with the run's transports; `label` names it in reports. */
  peer(label: string, nsp: string, token: string | undefined): Peer;
  /** Clients for several demo users (token `<name>-token`), each connected. */
  connectAll(nsp: string, names: string[]): Promise<Peer[]>;
  /**
   * Makes a round trip on every connected client (so whatever the server sent before has
   * arrived), then returns the events nobody took, by client: `{}` when there are none.
   */
  settle(): Promise<Record<string, unknown[]>>;
  /** Waits until `check` returns true (polling), failing after `timeoutMs`. */
  until(what: string, check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  http(method: string, path: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  closeApp(): Promise<void>;
}

export interface Scenario {
  name: string;
  run(ctx: Ctx): Promise<unknown>;
}

/**
 * A scenario with the transcript it must produce on both servers: a value, or a function
 * of the run's transports when the transcript depends on them.
 */
export interface Case extends Scenario {
  expected: unknown;
}

/** Whether a run's clients use HTTP long-polling (alone, or before upgrading). */
export const usesPolling = (transports: Transports | undefined): boolean =>
  transports === undefined || transports.includes("polling");

export async function runScenario(
  Server: ServerClass,
  transports: Transports | undefined,
  scenario: Scenario,
): Promise<unknown> {
  const app = createApp(Server, APP_OPTIONS);
  if (!(app.io instanceof Server)) throw new Error("the app did not use the Server class it was given");
  const peers: Peer[] = [];
  let closed = false;
  try {
    const { port } = await app.listen(0, "127.0.0.1");
    const url = `http://127.0.0.1:${port}`;
    const ctx: Ctx = {
      url,
      transports,
      peer(label, nsp, token) {
        const p = new Peer(label, url, nsp, token, transports);
        peers.push(p);
        return p;
      },
      async connectAll(nsp, names) {
        const list = names.map((name) => ctx.peer(name, nsp, `${name}-token`));
        for (const p of list) {
          const outcome = await p.outcome;
          if (!outcome.connected) throw new Error(`${p.label} could not connect to ${nsp}: ${outcome.message}`);
        }
        return list;
      },
      async settle() {
        await Promise.all(peers.filter((p) => p.socket.connected).map((p) => p.emitWithAck("whoami")));
        const left: Record<string, unknown[]> = {};
        for (const p of peers) {
          const pending = p.pending();
          if (pending.length > 0) left[`${p.label}@${p.nsp}`] = pending.map((e) => normalize(e));
        }
        return left;
      },
      async until(what, check, timeoutMs = 3000) {
        const deadline = Date.now() + timeoutMs;
        while (!(await check())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      http: (method, path, headers = {}) => httpRequest(port, method, path, headers),
      async closeApp() {
        closed = true;
        await app.close();
      },
    };
    return normalize(await scenario.run(ctx));
  } finally {
    for (const p of peers) p.close();
    if (!closed) await app.close();
  }
}

function httpRequest(port: number, method: string, path: string, headers: Record<string, string>): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** How binary data shows up in a transcript: its type, size and digest. */
export function bin(data: Uint8Array | ArrayBuffer): { type: string; bytes: number; sha256: string } {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  const type = Buffer.isBuffer(data) ? "Buffer" : data.constructor.name;
  return { type, bytes: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/**
 * Makes a transcript comparable: binary data becomes {@link bin}, message timestamps
 * (`at`) become `"<time>"`, an Engine.IO session id (`sid`) becomes `"<sid>"`.
 */
export function normalize(value: unknown, key?: string): unknown {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return bin(value);
  if (key === "at" && typeof value === "number") return "<time>";
  if (key === "sid" && typeof value === "string") return "<sid>";
  if (Array.isArray(value)) return value.map((v) => normalize(v));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalize(v, k);
    return out;
  }
  return value;
}
