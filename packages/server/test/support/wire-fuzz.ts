/**
 * A wire fuzzer for a live server: hostile but plausible Engine.IO v4 / Socket.IO v5 input,
 * delivered over real WebSocket connections and polling POSTs on 127.0.0.1.
 *
 * Every input comes from a seeded PRNG: session `i` of seed `s` is always the same list of
 * frames (`fuzzSession(s, i)`), so a fault reported with its seed and session numbers can be
 * replayed one session at a time. The order in which concurrent sessions interleave is not
 * reproducible; a fault that needs two sessions at once shows up as two session numbers.
 *
 * Used by `fuzz-wire.test.ts` (a bounded run) and `scripts/fuzz-server.mjs` (a long run).
 */
import type { Server } from "@omnio/server";
import { EioPeer, http } from "./raw-peers.js";

// ---- PRNG -------------------------------------------------------------------------------

/** mulberry32: small, fast, good enough to drive a fuzzer, and the same on every platform. */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

/** A fresh random seed (for the one random seed of each run). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0xffffffff) >>> 0;
}

/** The PRNG of session `index` of `seed` (independent of how many sessions ran before). */
function sessionPrng(seed: number, index: number): Prng {
  return new Prng((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0);
}

// ---- JSON payloads ----------------------------------------------------------------------

const EVENT_NAMES: readonly string[] = [
  '"echo"',
  '"join"',
  '"leave"',
  '"shout"',
  '"chat"',
  // reserved on the server or the client: must not reach user listeners
  '"connect"',
  '"connect_error"',
  '"disconnect"',
  '"disconnecting"',
  '"newListener"',
  '"removeListener"',
  '"error"',
  // prototype names and non-strings
  '"__proto__"',
  '"constructor"',
  '"toString"',
  '"hasOwnProperty"',
  "1",
  "null",
  "{}",
  "[]",
  "true",
  '""',
];

const KEYS: readonly string[] = [
  '"a"',
  '"__proto__"',
  '"constructor"',
  '"prototype"',
  '"_placeholder"',
  '"num"',
  '"sid"',
];

const NUMBERS: readonly string[] = [
  "0",
  "-0",
  "1",
  "-1",
  "1e308",
  "1e999",
  "-1e999",
  "9007199254740993",
  "1.5",
  "0.1e-400",
  "4294967296",
];

/** A JSON text (sometimes not quite JSON) of bounded size. */
function jsonText(r: Prng, depth: number): string {
  const kind = depth > 3 ? r.int(4) : r.int(9);
  switch (kind) {
    case 0:
      return r.pick(NUMBERS);
    case 1:
      return JSON.stringify(r.pick(["x", "", "\u{1F600}", "a".repeat(r.int(2000)), "\\", "\u2028", "/nsp,"]));
    case 2:
      return r.pick(["true", "false", "null", '"\\ud800"', '"\\u0000"']);
    case 3:
      return `{"_placeholder":true,"num":${r.pick(["0", "1", "-1", '"0"', "1e9", '"__proto__"', "0.5"])}}`;
    case 4:
      return "[" + Array.from({ length: r.int(4) }, () => jsonText(r, depth + 1)).join(",") + "]";
    case 5:
      return "{" + Array.from({ length: r.int(4) }, () => `${r.pick(KEYS)}:${jsonText(r, depth + 1)}`).join(",") + "}";
    case 6: {
      // deep nesting: recursion in the decoder or placeholder walk must not blow the stack
      const n = r.pick([64, 1000, 5000, 20_000]);
      return r.chance(0.5) ? "[".repeat(n) + "]".repeat(n) : '{"a":'.repeat(n) + "1" + "}".repeat(n);
    }
    case 7:
      return "1".repeat(r.pick([20, 400, 5000]));
    default:
      return '{"__proto__":{"polluted":true},"constructor":{"prototype":{"isAdmin":true}}}';
  }
}

// ---- Socket.IO and Engine.IO packets ----------------------------------------------------

const NAMESPACES: readonly string[] = [
  "",
  "",
  "",
  "",
  "",
  "",
  "/chat,",
  "/chat,",
  "/nope,",
  "/chat?x=1,",
  "chat,",
  "/,",
  "/" + "n".repeat(300) + ",",
];

function ackId(r: Prng): string {
  if (r.chance(0.8)) return r.pick(["", "", "1", "7", "0", "12"]);
  return r.pick(["-1", "1e3", "999999999999999", "99999999999999999999", "9".repeat(300), "01"]);
}

/** A Socket.IO packet (`<type>[<attachments>-][<nsp>,][<id>][<data>]`), often slightly wrong. */
export function socketPacket(r: Prng): string {
  const type = r.chance(0.9) ? r.pick([0, 0, 1, 2, 2, 2, 2, 3, 3, 4, 5, 5, 6, 6]) : r.pick([7, 8, 9, "x", "-", ""]);
  let out = String(type);
  if (type === 5 || type === 6 || r.chance(0.05)) out += r.pick(["0", "1", "2", "3", "11", "1".repeat(30), ""]) + "-";
  out += r.pick(NAMESPACES);
  if (type !== 0 && type !== 1) out += ackId(r);
  switch (type) {
    case 0:
      if (r.chance(0.7)) out += r.chance(0.2) ? jsonText(r, 2) : `{"token":${jsonText(r, 2)}}`;
      break;
    case 1:
      break;
    case 2:
    case 5: {
      const args = Array.from({ length: r.int(4) }, () => jsonText(r, 1));
      const name = r.chance(0.6) ? '"echo"' : r.pick(EVENT_NAMES);
      out += r.chance(0.95) ? "[" + [name, ...args].join(",") + "]" : jsonText(r, 0);
      break;
    }
    default:
      out += r.chance(0.8)
        ? "[" + Array.from({ length: r.int(3) }, () => jsonText(r, 1)).join(",") + "]"
        : jsonText(r, 0);
  }
  return mutate(r, out, 0.15);
}

const MUTATION_CHARS = '[]{}",:0123456789-/\x1eb4\\';

/** Byte-level damage: truncation, insertion, deletion, duplication (with probability `p`). */
export function mutate(r: Prng, text: string, p: number): string {
  let out = text;
  while (r.chance(p) && out.length > 0) {
    const at = r.int(out.length);
    switch (r.int(4)) {
      case 0:
        out = out.slice(0, at);
        break;
      case 1:
        out = out.slice(0, at) + r.pick([...MUTATION_CHARS]) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + out.slice(at + 1 + r.int(8));
        break;
      default:
        out = out.slice(0, at) + out.slice(at, at + 1 + r.int(16)).repeat(2) + out.slice(at);
    }
  }
  return out;
}

/** An Engine.IO v4 packet as text: mostly MESSAGE (`4`) carrying Socket.IO, sometimes control. */
export function enginePacket(r: Prng): string {
  if (r.chance(0.75)) return "4" + socketPacket(r);
  return r.pick(["2", "3", "2probe", "3probe", "5", "6", "0", "", "7", "4", "40", "1x", "\u00e9", '0{"sid":"x"}', "1"]);
}

/** An Engine.IO v4 polling body: packets joined by `\x1e`, some of them `b`-prefixed base64. */
export function pollingPayload(r: Prng): string {
  const entries = Array.from({ length: 1 + r.int(4) }, () => {
    if (r.chance(0.15)) return "b" + r.pick([r.bytes(r.int(64)).toString("base64"), "!!!", "", "A", "AAA="]);
    return enginePacket(r);
  });
  return mutate(r, entries.join("\x1e"), 0.1) + (r.chance(0.05) ? "\x1e" : "");
}

// ---- sessions ---------------------------------------------------------------------------

export type FuzzInput = string | Buffer;

export interface FuzzSession {
  index: number;
  transport: "websocket" | "polling";
  /** Frames (WebSocket) or POST bodies (polling), in order. */
  inputs: FuzzInput[];
  /**
   * How many leading inputs are CONNECT packets: the WebSocket runner waits (briefly) for the
   * server's answer after them, as a real client would, so later events reach listeners.
   */
  opening: number;
}

/** The Socket.IO CONNECT packets a sequence starts with (or not: EVENT before CONNECT is a case). */
function opening(r: Prng): string[] {
  return r.pick([[], ["0"], ["0"], ["0"], ["0/chat,"], ["0", "0/chat,"], ["0", "0"], ['0/chat,{"token":1}']]);
}

/** Binary frames: attachments with or without a header, or plain noise. */
function binaryFrames(r: Prng): Buffer[] {
  return Array.from({ length: 1 + r.int(3) }, () => r.bytes(r.pick([0, 1, 4, 64, 1024])));
}

/** Session `index` of `seed`: its transport and every input, always the same. */
export function fuzzSession(seed: number, index: number): FuzzSession {
  const r = sessionPrng(seed, index);
  const transport = r.chance(0.6) ? "websocket" : "polling";
  const inputs: FuzzInput[] = [];
  const count = 2 + r.int(12);
  let connects = 0;
  if (transport === "websocket") {
    for (const p of opening(r)) inputs.push("4" + p);
    connects = inputs.length;
    while (inputs.length < count) {
      const k = r.int(12);
      if (k < 6) inputs.push(enginePacket(r));
      else if (k >= 10)
        inputs.push(`42${r.pick(["", "/chat,"])}${r.int(20)}["echo",${jsonText(r, 1)}]`); // well-formed
      else if (k < 8) {
        // a binary header followed by fewer, more or other frames than it announces
        inputs.push(
          `45${r.pick(["1", "2", "0", "3"])}-${r.pick(["", "/chat,"])}${ackId(r)}["echo",{"_placeholder":true,"num":0}]`,
        );
        for (const frame of binaryFrames(r)) inputs.push(r.chance(0.8) ? frame : enginePacket(r));
      } else if (k < 9)
        inputs.push(...binaryFrames(r)); // attachments without a header
      else if (k < 10) inputs.push("4" + r.pick(["3", "6"]) + ackId(r) + "[]"); // ACK for an unknown id
    }
  } else {
    const start = opening(r);
    if (start.length > 0) inputs.push(start.map((p) => "4" + p).join("\x1e"));
    while (inputs.length < count) inputs.push(pollingPayload(r));
    if (r.chance(0.1)) inputs.push(r.bytes(r.int(256)));
  }
  return { index, transport, inputs, opening: connects };
}

/** Installs the listeners the fuzzer aims at: acks, rooms, broadcasts, a middleware. */
export function installFuzzHandlers(io: Server): void {
  io.on("connection", (socket) => {
    socket.on("echo", (value: unknown, ack: unknown) => {
      if (typeof ack === "function") (ack as (v: unknown) => void)(value);
    });
    socket.on("join", (room: unknown) => {
      if (typeof room === "string") void socket.join(room);
    });
    socket.on("leave", (room: unknown) => {
      if (typeof room === "string") void socket.leave(room);
    });
    socket.on("shout", (room: unknown, value: unknown) => {
      if (typeof room === "string") socket.to(room).emit("news", value);
    });
    socket.onAny(() => undefined);
    // A server-side ack the peer may answer with anything, or not at all.
    socket.timeout(500).emit("probe", () => undefined);
  });
  const chat = io.of("/chat");
  chat.use((socket, next) => next(socket.handshake.auth?.token === 1 ? new Error("denied") : undefined));
  chat.on("connection", (socket) => {
    socket.on("echo", (value: unknown, ack: unknown) => {
      if (typeof ack === "function") (ack as (v: unknown) => void)(value);
    });
  });
}

// ---- delivery ---------------------------------------------------------------------------

export interface FuzzOptions {
  port: number;
  seed: number;
  /** Stop starting sessions after this long. */
  durationMs: number;
  /** Sessions in flight at once. @default 8 */
  concurrency?: number;
  /** Called when a session starts and ends (for fault attribution). */
  onSession?: (index: number, state: "start" | "end") => void;
}

export interface FuzzStats {
  seed: number;
  sessions: number;
  inputs: number;
  /** Sessions the server refused or never opened (not a fault by itself). */
  setupFailures: number;
  /** POSTs the server never answered: a hang. Each entry names the session. */
  hangs: string[];
  elapsedMs: number;
}

/** Zeroed counters; pass them to `runFuzz` to read them while it runs. */
export function emptyStats(seed: number): FuzzStats {
  return { seed, sessions: 0, inputs: 0, setupFailures: 0, hangs: [], elapsedMs: 0 };
}

const POST_TIMEOUT_MS = 10_000;

async function runWebSocket(port: number, s: FuzzSession, stats: FuzzStats): Promise<void> {
  let peer: EioPeer;
  try {
    peer = await EioPeer.open(port);
  } catch {
    stats.setupFailures++;
    return;
  }
  try {
    for (const [i, input] of s.inputs.entries()) {
      peer.send(input);
      stats.inputs++;
      if (i === s.opening - 1) {
        const answered = (m: string | Buffer): boolean => typeof m === "string" && /^4[04]/.test(m);
        await peer.next(answered, 500).catch(() => undefined);
      }
    }
    // Let the server read everything before the peer goes (or after it was closed).
    await Promise.race([peer.closed, new Promise((resolve) => setTimeout(resolve, 5))]);
  } finally {
    if (s.index % 2 === 0) peer.terminate();
    else peer.ws.close();
  }
}

async function runPolling(port: number, s: FuzzSession, stats: FuzzStats): Promise<void> {
  let sid: string;
  try {
    const open = await http(port, { path: "/socket.io/?EIO=4&transport=polling" });
    sid = (JSON.parse(open.body.slice(1)) as { sid: string }).sid;
  } catch {
    stats.setupFailures++;
    return;
  }
  const path = `/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`;
  // One long-poll open while the POSTs arrive; the close at the end answers it.
  const poll = http(port, { path, timeoutMs: POST_TIMEOUT_MS }).catch(() => undefined);
  const post = async (body: FuzzInput): Promise<boolean> => {
    try {
      const answer = await http(port, {
        method: "POST",
        path,
        body,
        timeoutMs: POST_TIMEOUT_MS,
        headers: { "Content-Type": typeof body === "string" ? "text/plain;charset=UTF-8" : "application/octet-stream" },
      });
      return answer.status === 200;
    } catch (err) {
      if (err instanceof Error && err.message.startsWith("no answer"))
        stats.hangs.push(`session ${s.index}: ${err.message}`);
      return false;
    }
  };
  for (const input of s.inputs) {
    stats.inputs++;
    if (!(await post(input))) break; // the server closed the session (400) — as it should, often
  }
  await post("1");
  await poll;
}

/**
 * Runs fuzz sessions against `127.0.0.1:<port>` for `durationMs`, `concurrency` at a time.
 * Session numbers are handed out in order, so the same seed yields the same sessions.
 */
export async function runFuzz(o: FuzzOptions, stats: FuzzStats = emptyStats(o.seed)): Promise<FuzzStats> {
  const started = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (Date.now() - started < o.durationMs) {
      const session = fuzzSession(o.seed, next++);
      stats.sessions++;
      o.onSession?.(session.index, "start");
      if (session.transport === "websocket") await runWebSocket(o.port, session, stats);
      else await runPolling(o.port, session, stats);
      o.onSession?.(session.index, "end");
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 8 }, worker));
  stats.elapsedMs = Date.now() - started;
  return stats;
}

/** Runs one session alone (to replay a session number from a fault report). */
export async function replaySession(port: number, seed: number, index: number): Promise<FuzzStats> {
  const stats = emptyStats(seed);
  stats.sessions = 1;
  const session = fuzzSession(seed, index);
  const started = Date.now();
  if (session.transport === "websocket") await runWebSocket(port, session, stats);
  else await runPolling(port, session, stats);
  stats.elapsedMs = Date.now() - started;
  return stats;
}

/** Short printable form of an input (for fault reports). */
export function describeInput(input: FuzzInput): string {
  const text = typeof input === "string" ? JSON.stringify(input) : `<binary ${input.toString("hex")}>`;
  return text.length > 120 ? `${text.slice(0, 120)}… (${text.length} chars)` : text;
}

/**
 * Server options for fuzz runs: short ping and connect timeouts, so that sessions a fuzz
 * peer abandoned are reaped within a second or two.
 */
export const FUZZ_SERVER_OPTIONS = { pingInterval: 1000, pingTimeout: 1000, connectTimeout: 1000 } as const;
