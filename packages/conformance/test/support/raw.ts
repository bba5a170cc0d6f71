/**
 * A raw Engine.IO client for conformance tests: plain `node:http` requests and a plain `ws`
 * WebSocket, no Engine.IO/Socket.IO client library. Every wait has a timeout so that a
 * missing packet fails the test instead of hanging it.
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect as netConnect } from "node:net";
import { WebSocket } from "ws";
import { sleep } from "@omnio/testkit";

export { sleep };

/** The Engine.IO v4 payload separator (protocol v4, "HTTP long-polling"). */
export const SEP = "\x1e";

/**
 * Default wait for something that should happen promptly. Generous: the whole monorepo's
 * tests run in parallel processes, and a loaded machine stalls event loops for seconds.
 */
export const WAIT_MS = 10000;

/** Rejects with `label` if `promise` does not settle within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${label}`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Resolves once `predicate()` is true (checked every 5 ms); rejects after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean, label: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${label}`);
    await sleep(5);
  }
}

/** A complete HTTP response. */
export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body decoded as UTF-8. */
  body: string;
  bytes: Buffer;
}

/** An HTTP request in flight. */
export interface PendingRequest {
  response: Promise<HttpResult>;
  /** Destroys the connection before the answer arrives (client abort). */
  abort(): void;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  /** Write `body` but never end the request (a body still arriving; set Content-Length). */
  hold?: boolean;
}

/** Sends one request on a fresh connection (no keep-alive pool shared between requests). */
export function send(port: number, path: string, o: RequestOptions = {}): PendingRequest {
  let destroy: () => void = () => undefined;
  const response = new Promise<HttpResult>((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path, method: o.method ?? "GET", headers: o.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString("utf8"), bytes });
        });
      },
    );
    req.on("error", reject);
    destroy = () => req.destroy();
    if (o.hold) {
      req.flushHeaders();
      if (o.body !== undefined) req.write(o.body);
    } else if (o.body !== undefined) req.end(o.body);
    else req.end();
  });
  const label = `${o.method ?? "GET"} ${path}`;
  return {
    // On timeout the request is destroyed too, so that nothing is left hanging.
    response: withTimeout(response, o.timeoutMs ?? WAIT_MS, label).catch((err: unknown) => {
      destroy();
      throw err;
    }),
    abort: () => destroy(),
  };
}

/** Splits an Engine.IO v4 polling payload into packets. */
export function packets(body: string): string[] {
  return body === "" ? [] : body.split(SEP);
}

/** The open packet's JSON (protocol v4, "Handshake"). */
export interface OpenData {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

export interface Handshake {
  sid: string;
  open: OpenData;
  /** The whole first response. */
  res: HttpResult;
  /** Packets after the open packet in the first response (e.g. `initialPacket`). */
  rest: string[];
}

export type Query = Record<string, string | undefined>;

/** A raw Engine.IO client for one server (`port`) and engine path (e.g. `/socket.io/`). */
export class RawEngine {
  constructor(
    readonly port: number,
    readonly path: string,
    /** Query sent with every request unless overridden. */
    readonly defaults: Query = { EIO: "4", transport: "polling" },
  ) {}

  /** The same client with other default query parameters (e.g. `{ EIO: "3" }`). */
  with(defaults: Query): RawEngine {
    return new RawEngine(this.port, this.path, { ...this.defaults, ...defaults });
  }

  /** `path?query`; the defaults unless overridden (undefined removes a key). */
  url(query: Query = {}): string {
    const q: Query = { ...this.defaults, ...query };
    const parts: string[] = [];
    for (const [k, v] of Object.entries(q))
      if (v !== undefined) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    return parts.length ? `${this.path}?${parts.join("&")}` : this.path;
  }

  request(query: Query, o: RequestOptions = {}): PendingRequest {
    return send(this.port, this.url(query), o);
  }

  get(query: Query = {}, headers: Record<string, string> = {}): Promise<HttpResult> {
    return this.request(query, { headers }).response;
  }

  /** Opens a polling session; fails unless the first GET answers 200 with an open packet. */
  async handshake(query: Query = {}, headers: Record<string, string> = {}): Promise<Handshake> {
    const res = await this.get(query, headers);
    if (res.status !== 200) throw new Error(`handshake answered ${res.status}: ${res.body}`);
    const [first, ...rest] = packets(res.body);
    if (!first?.startsWith("0")) throw new Error(`handshake did not start with an open packet: ${res.body}`);
    const open = JSON.parse(first.slice(1)) as OpenData;
    return { sid: open.sid, open, res, rest };
  }

  /** A long-poll GET that may be aborted. */
  startPoll(sid: string, query: Query = {}, timeoutMs = WAIT_MS): PendingRequest {
    return this.request({ sid, ...query }, { timeoutMs });
  }

  /** GET: waits for the next payload. */
  poll(sid: string, timeoutMs = WAIT_MS): Promise<HttpResult> {
    return this.startPoll(sid, {}, timeoutMs).response;
  }

  /** GET that must answer 200; returns the packets. */
  async pollPackets(sid: string, timeoutMs = WAIT_MS): Promise<string[]> {
    const res = await this.poll(sid, timeoutMs);
    if (res.status !== 200) throw new Error(`poll answered ${res.status}: ${res.body}`);
    return packets(res.body);
  }

  /** POST: packets joined with the v4 separator (or a raw body as given). */
  push(
    sid: string,
    payload: string | string[] | Buffer,
    headers: Record<string, string> = {},
    query: Query = {},
  ): Promise<HttpResult> {
    const body = Array.isArray(payload) ? payload.join(SEP) : payload;
    return this.request(
      { sid, ...query },
      { method: "POST", body, headers: { "Content-Type": "text/plain;charset=UTF-8", ...headers } },
    ).response;
  }

  /** POST that must answer `200 ok`. */
  async pushOk(sid: string, payload: string | string[]): Promise<void> {
    const res = await this.push(sid, payload);
    if (res.status !== 200 || res.body !== "ok") throw new Error(`POST answered ${res.status}: ${res.body}`);
  }

  /** Polls until the server no longer knows `sid` (400 code 1), or fails after `timeoutMs`. */
  async waitSessionGone(sid: string, timeoutMs = WAIT_MS): Promise<HttpResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.poll(sid, Math.max(500, deadline - Date.now() + 500));
      if (res.status === 400 && res.body === '{"code":1,"message":"Session ID unknown"}') return res;
      if (Date.now() > deadline) throw new Error(`session ${sid} still open: ${res.status} ${res.body}`);
    }
  }

  /** Opens a WebSocket (`transport=websocket`); resolves once open. */
  ws(query: Query = {}, headers: Record<string, string> = {}): Promise<RawWs> {
    return RawWs.open(`ws://127.0.0.1:${this.port}${this.url({ transport: "websocket", ...query })}`, headers);
  }

  /**
   * Sends an upgrade request on a plain TCP socket and returns everything the server
   * wrote before closing (for raw `HTTP/1.1 400` answers to refused upgrades).
   */
  rawUpgrade(query: Query = {}, headers: Record<string, string> = {}): Promise<string> {
    const lines = [
      `GET ${this.url({ transport: "websocket", ...query })} HTTP/1.1`,
      `Host: 127.0.0.1:${this.port}`,
      "Connection: Upgrade",
      "Upgrade: websocket",
      "Sec-WebSocket-Version: 13",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    const done = new Promise<string>((resolve, reject) => {
      const socket = netConnect(this.port, "127.0.0.1");
      const chunks: Buffer[] = [];
      socket.on("data", (c: Buffer) => chunks.push(c));
      socket.on("error", reject);
      socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
      socket.write(lines.join("\r\n") + "\r\n\r\n");
    });
    return withTimeout(done, WAIT_MS, "the server to answer and close a raw upgrade");
  }
}

/** A frame as received: text frames as strings, binary frames as Buffers. */
export type Frame = string | Buffer;

/** A plain WebSocket with a receive queue. */
export class RawWs {
  readonly #frames: Frame[] = [];
  #waiter: (() => void) | undefined;
  /** Resolves when the WebSocket is closed (code, reason). */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Response headers of the 101 answer. */
  upgradeHeaders: IncomingHttpHeaders = {};

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      this.#frames.push(isBinary ? data : data.toString("utf8"));
      this.#waiter?.();
    });
    ws.on("upgrade", (res) => (this.upgradeHeaders = res.headers));
    this.closed = new Promise((resolve) =>
      ws.on("close", (code: number, reason: Buffer) => {
        this.#waiter?.();
        resolve({ code, reason: reason.toString() });
      }),
    );
    ws.on("error", () => undefined);
  }

  static open(url: string, headers: Record<string, string>): Promise<RawWs> {
    const ws = new WebSocket(url, { headers });
    const raw = new RawWs(ws);
    const opened = new Promise<RawWs>((resolve, reject) => {
      ws.once("open", () => resolve(raw));
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode ?? "?"}`)));
    });
    return withTimeout(opened, WAIT_MS, `WebSocket ${url} to open`);
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** The next frame; rejects after `timeoutMs` or if the socket closes first. */
  async next(timeoutMs = WAIT_MS): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = this.#frames.shift();
      if (frame !== undefined) return frame;
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error("WebSocket closed while waiting for a frame");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiter = () => {
          clearTimeout(timer);
          this.#waiter = undefined;
          resolve();
        };
      });
    }
  }

  /** The next frame, which must be text. */
  async nextText(timeoutMs = WAIT_MS): Promise<string> {
    const f = await this.next(timeoutMs);
    if (typeof f !== "string") throw new Error(`expected a text frame, got binary ${f.toString("hex")}`);
    return f;
  }

  /** The next frame that is not a ping `2` (answering pings with `3` when `pong`). */
  async nextNonPing(timeoutMs = WAIT_MS, pong = true): Promise<Frame> {
    for (;;) {
      const f = await this.next(timeoutMs);
      if (f !== "2") return f;
      if (pong) this.send("3");
    }
  }

  /** Frames received so far and not yet read. */
  drain(): Frame[] {
    return this.#frames.splice(0);
  }

  /** Waits for the close; rejects after `timeoutMs`. */
  waitClose(timeoutMs = WAIT_MS): Promise<{ code: number; reason: string }> {
    return withTimeout(this.closed, timeoutMs, "the WebSocket to close");
  }

  close(): void {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close();
  }

  terminate(): void {
    this.ws.terminate();
  }
}

/** Parses the open packet of a WebSocket session. */
export async function readOpen(ws: RawWs): Promise<OpenData> {
  const f = await ws.nextText();
  if (!f.startsWith("0")) throw new Error(`expected an open packet, got ${f}`);
  return JSON.parse(f.slice(1)) as OpenData;
}
