/**
 * Hand-made peers for the bad-input suite (`security-*.test.ts`): raw HTTP over `node:http`,
 * raw TCP for WebSocket handshakes and frames a real client would never send (RSV bits,
 * fragment floods, bad headers), and a thin Engine.IO/Socket.IO speaker over the `ws` client.
 */
import { request as httpRequest } from "node:http";
import { connect, type Socket as TcpSocket } from "node:net";
import { WebSocket } from "ws";

// ---- plain HTTP ------------------------------------------------------------------------

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpCall {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Whole body, or a list of pieces written one by one (chunked) with `pieceDelayMs` between. */
  body?: string | Buffer | Array<string | Buffer>;
  pieceDelayMs?: number;
  /** Stop writing (but keep the request open) after this many pieces. */
  stallAfter?: number;
  /** Socket inactivity after which the call fails. @default 10000 */
  timeoutMs?: number;
}

/** One HTTP request on a fresh connection; resolves with the answer, or rejects on a reset. */
export function http(port: number, call: HttpCall): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, method: call.method ?? "GET", path: call.path, headers: call.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.setTimeout(call.timeoutMs ?? 10_000, () =>
      req.destroy(new Error(`no answer to ${call.method ?? "GET"} ${call.path}`)),
    );
    const body = call.body;
    if (!Array.isArray(body)) {
      req.end(body);
      return;
    }
    let i = 0;
    const writeNext = (): void => {
      if (req.destroyed) return;
      if (call.stallAfter !== undefined && i >= call.stallAfter) return;
      if (i >= body.length) {
        req.end();
        return;
      }
      req.write(body[i++]!);
      setTimeout(writeNext, call.pieceDelayMs ?? 0);
    };
    writeNext();
  });
}

/** Parses an Engine.IO JSON error body (`{"code":N,"message":"…"}`). */
export function engineError(answer: HttpAnswer): { code: number; message: string } {
  return JSON.parse(answer.body) as { code: number; message: string };
}

/** Opens a v4 (or v3) polling session; returns its sid and the raw open packet. */
export async function pollingHandshake(
  port: number,
  query = "EIO=4&transport=polling",
): Promise<{ sid: string; open: string }> {
  const answer = await http(port, { path: `/socket.io/?${query}` });
  if (answer.status !== 200) throw new Error(`handshake failed: ${answer.status} ${answer.body}`);
  const start = answer.body.indexOf("{");
  const open = answer.body.slice(start, answer.body.indexOf("}", start) + 1);
  return { sid: (JSON.parse(open) as { sid: string }).sid, open: answer.body };
}

// ---- raw TCP and WebSocket frames -------------------------------------------------------

/** A fixed, valid `Sec-WebSocket-Key` (RFC 6455 §1.3 example). */
export const WS_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

export interface FrameOptions {
  opcode?: number;
  fin?: boolean;
  /** Raw RSV bits: 0x40 RSV1, 0x20 RSV2, 0x10 RSV3. */
  rsv?: number;
  /** Declared payload length, if it should differ from the real one. */
  declaredLength?: bigint;
}

/** Builds a masked client→server frame (RFC 6455 §5.2). */
export function wsFrame(payload: string | Buffer, o: FrameOptions = {}): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload) : payload;
  const length = o.declaredLength ?? BigInt(data.length);
  const first = (o.fin === false ? 0 : 0x80) | (o.rsv ?? 0) | (o.opcode ?? 1);
  let header: Buffer;
  if (length < 126n) header = Buffer.from([first, 0x80 | Number(length)]);
  else if (length < 65536n) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(length, 2);
  }
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const masked = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) masked[i] = data[i]! ^ mask[i & 3]!;
  return Buffer.concat([header, mask, masked]);
}

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** Result of a raw upgrade: the HTTP answer, then (on 101) the frames the server sends. */
export class RawUpgrade {
  status = 0;
  headers: Record<string, string> = {};
  /** Body of a refused upgrade. */
  body = "";
  readonly frames: ServerFrame[] = [];
  /** Resolves when the TCP connection is gone (server closed or reset it). */
  readonly ended: Promise<void>;
  #buffer = Buffer.alloc(0);
  #headDone = false;
  #headWaiters: Array<() => void> = [];
  #frameWaiters: Array<() => void> = [];

  constructor(readonly socket: TcpSocket) {
    socket.on("error", () => undefined);
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    this.ended = new Promise((resolve) => socket.once("close", () => resolve()));
    void this.ended.then(() => {
      this.#headDone = true;
      this.#wake();
    });
  }

  #wake(): void {
    for (const w of this.#headWaiters.splice(0)) w();
    for (const w of this.#frameWaiters.splice(0)) w();
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    if (!this.#headDone) {
      const end = this.#buffer.indexOf("\r\n\r\n");
      if (end === -1) return;
      const lines = this.#buffer.subarray(0, end).toString("latin1").split("\r\n");
      this.status = Number(lines[0]!.split(" ")[1]);
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(":");
        this.headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      this.#buffer = this.#buffer.subarray(end + 4);
      this.#headDone = true;
    }
    if (this.status !== 101) {
      this.body += this.#buffer.toString();
      this.#buffer = Buffer.alloc(0);
    } else this.#parseFrames();
    this.#wake();
  }

  #parseFrames(): void {
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) return;
      let length = b[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + length) return;
      this.frames.push({ opcode: b[0]! & 0x0f, payload: b.subarray(offset, offset + length) });
      this.#buffer = b.subarray(offset + length);
    }
  }

  /** Waits for the HTTP status line and headers (or the end of the connection). */
  async head(timeoutMs = 3000): Promise<this> {
    await this.#until(() => this.#headDone, this.#headWaiters, timeoutMs, "upgrade answer");
    return this;
  }

  /** Waits until a frame matching `pred` has arrived; returns it. */
  async frame(pred: (f: ServerFrame) => boolean, timeoutMs = 3000): Promise<ServerFrame> {
    let found: ServerFrame | undefined;
    await this.#until(
      () => (found = this.frames.find(pred)) !== undefined || this.socket.destroyed,
      this.#frameWaiters,
      timeoutMs,
      "frame",
    );
    if (!found) throw new Error("connection ended before the expected frame");
    return found;
  }

  /** The server's close frame code, or undefined if the connection ended without one. */
  async closeCode(timeoutMs = 3000): Promise<number | undefined> {
    await this.#until(
      () => this.frames.some((f) => f.opcode === 8) || this.socket.destroyed,
      this.#frameWaiters,
      timeoutMs,
      "close",
    );
    const close = this.frames.find((f) => f.opcode === 8);
    return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : undefined;
  }

  /** Text frames received so far. */
  get texts(): string[] {
    return this.frames.filter((f) => f.opcode === 1).map((f) => f.payload.toString());
  }

  send(data: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  async #until(cond: () => boolean, waiters: Array<() => void>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export interface RawUpgradeOptions {
  /** Replaces the usual upgrade header lines entirely (for header-shape attacks). */
  headerLines?: string[];
  /** Added after the usual upgrade header lines. */
  extraLines?: string[];
  /** Bytes written in the same TCP write as the request (they reach ws as `head`). */
  trailing?: Buffer;
}

/** The usual header lines of a WebSocket upgrade request. */
export function upgradeLines(port: number): string[] {
  return [
    `Host: 127.0.0.1:${port}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${WS_KEY}`,
    "Sec-WebSocket-Version: 13",
  ];
}

/** Sends an upgrade request by hand; returns once the HTTP answer (or the end) arrived. */
export async function rawUpgrade(port: number, path: string, o: RawUpgradeOptions = {}): Promise<RawUpgrade> {
  return (await sendUpgrade(port, path, o)).head();
}

/** Sends an upgrade request by hand without waiting for an answer (there may never be one). */
export async function sendUpgrade(port: number, path: string, o: RawUpgradeOptions = {}): Promise<RawUpgrade> {
  const socket = connect(port, "127.0.0.1");
  const peer = new RawUpgrade(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const lines = [...(o.headerLines ?? upgradeLines(port)), ...(o.extraLines ?? [])];
  const head = Buffer.from(`GET ${path} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`, "latin1");
  socket.write(o.trailing ? Buffer.concat([head, o.trailing]) : head);
  return peer;
}

/** Writes raw bytes on a fresh TCP connection and collects everything until it closes. */
export async function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 3000): Promise<string> {
  const socket = connect(port, "127.0.0.1");
  socket.on("error", () => undefined);
  const chunks: Buffer[] = [];
  socket.on("data", (c: Buffer) => chunks.push(c));
  socket.write(bytes);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("raw exchange: the server neither answered nor closed"));
    }, timeoutMs);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return Buffer.concat(chunks).toString("latin1");
}

// ---- Engine.IO / Socket.IO over the `ws` client ------------------------------------------

/** A raw Engine.IO peer over `ws`: sees every frame, answers pings unless told not to. */
export class EioPeer {
  readonly messages: Array<string | Buffer> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: Array<() => void> = [];

  private constructor(
    readonly ws: WebSocket,
    readonly eio: 3 | 4,
    autoPong: boolean,
  ) {
    ws.on("error", () => undefined);
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      const msg = isBinary ? data : data.toString();
      if (autoPong && eio === 4 && msg === "2") ws.send("3");
      this.messages.push(msg);
      for (const w of this.#waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) =>
      ws.once("close", (code: number, reason: Buffer) => {
        for (const w of this.#waiters.splice(0)) w();
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  /** Opens `/socket.io/?EIO=<eio>&transport=websocket<extraQuery>` and waits for the open packet. */
  static async open(port: number, o: { eio?: 3 | 4; query?: string; autoPong?: boolean } = {}): Promise<EioPeer> {
    const eio = o.eio ?? 4;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=${eio}&transport=websocket${o.query ?? ""}`);
    const peer = new EioPeer(ws, eio, o.autoPong ?? true);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode ?? "?"}`)));
    });
    await peer.next((m) => typeof m === "string" && m.startsWith("0"));
    return peer;
  }

  /** Opens a v4 session and joins `nsp` (`40…`); resolves with the Socket.IO sid. */
  static async socketio(
    port: number,
    o: { nsp?: string; auth?: unknown; query?: string } = {},
  ): Promise<{ peer: EioPeer; sid: string }> {
    const peer = await EioPeer.open(port, { query: o.query ?? "" });
    const nsp = o.nsp && o.nsp !== "/" ? o.nsp + "," : "";
    peer.send(`40${nsp}${o.auth === undefined ? "" : JSON.stringify(o.auth)}`);
    const reply = (await peer.next((m) => typeof m === "string" && m.startsWith("40" + nsp))) as string;
    return { peer, sid: (JSON.parse(reply.slice(2 + nsp.length)) as { sid: string }).sid };
  }

  send(data: string | Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  /** Waits for the first message (already received or not) matching `pred`. */
  async next(pred: (m: string | Buffer) => boolean, timeoutMs = 3000): Promise<string | Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(pred);
      if (found !== undefined) return found;
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error("closed before the expected message");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("timed out waiting for a message");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves with the close code once the server closed the connection (rejects on timeout). */
  async closedWithin(timeoutMs = 3000): Promise<number> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const { code } = await Promise.race([
        this.closed,
        new Promise<never>(
          (_, reject) =>
            (timer = setTimeout(() => reject(new Error("the server did not close the connection")), timeoutMs)),
        ),
      ]);
      return code;
    } finally {
      clearTimeout(timer);
    }
  }

  terminate(): void {
    this.ws.terminate();
  }
}
