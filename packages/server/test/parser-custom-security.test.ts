/**
 * The `parser` option under bad input (STYLE habit 7): a custom decoder is user code fed with
 * untrusted bytes, so whatever it emits is validated as the built-in decoder's output is, and
 * whatever it does wrong — throw, emit garbage, emit several packets for one frame — closes
 * that one connection exactly like a parse error of the built-in parser, while the server
 * keeps serving a healthy client that uses the same parser. No uncaught error may escape.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import * as msgpackParser from "socket.io-msgpack-parser";
import type { Socket as ClientSocket } from "socket.io-client";
import { Server, type Parser, type ServerOptions, type Socket as ServerSocket } from "@omnio/server";
import { EioPeer } from "./support/raw-peers.js";
import { assertNoFaults, recordFaults } from "./support/security-harness.js";
import { once, sleep, startServer, type TestServer } from "./support/servers.js";

const LIMIT = { timeout: 60_000 };

type Ack = (...args: unknown[]) => void;

/** A msgpack frame of `packet` as the official encoder makes it (any shape: no checks on encode). */
function msgpack(packet: unknown): Buffer {
  return (new msgpackParser.Encoder().encode(packet) as unknown as Buffer[])[0]!;
}

/**
 * A text codec for the tests: JSON of the whole packet per frame. `onAdd` lets a test make the
 * decoder misbehave; by default it emits what it parsed.
 */
function jsonParser(
  onAdd: (decoder: EventEmitter, frame: string) => void = (d, f) => d.emit("decoded", JSON.parse(f)),
): Parser {
  class Encoder {
    encode(packet: unknown): string[] {
      return [JSON.stringify(packet)];
    }
  }
  class Decoder extends EventEmitter {
    add(frame: string): void {
      onAdd(this, frame);
    }
    destroy(): void {}
  }
  return { Encoder, Decoder };
}

interface Scene {
  srv: TestServer;
  healthy: ClientSocket;
  /** Server-side disconnect reasons and `error` codes of sockets other than the healthy one. */
  reasons: string[];
  errors: string[];
}

/**
 * A server with `parser`, a healthy official client with the same parser, and an `echo`
 * handler; after `attack`, the healthy client must still get its ack and nothing may have
 * escaped as an uncaught error.
 */
async function withParser(parser: Parser | undefined, attack: (s: Scene) => Promise<void>): Promise<void> {
  recordFaults();
  const opts: ServerOptions = parser ? { parser } : {};
  const srv = await startServer(opts);
  const reasons: string[] = [];
  const errors: string[] = [];
  try {
    let healthyId = "";
    srv.io.on("connection", (socket: ServerSocket) => {
      socket.on("echo", (v: unknown, ack: Ack) => ack(v));
      socket.on("error", (err: Error & { code?: string }) => errors.push(err.code ?? err.message));
      socket.on("disconnect", (reason) => {
        if (socket.id !== healthyId) reasons.push(reason);
      });
    });
    const healthy = srv.client("/", { transports: ["websocket"], ...(parser ? { parser } : {}) });
    await once(healthy, "connect");
    healthyId = healthy.id!;
    await attack({ srv, healthy, reasons, errors });
    assert.ok(healthy.connected, "the healthy client is still connected");
    assert.equal(await healthy.timeout(4000).emitWithAck("echo", "after"), "after");
  } finally {
    await srv.close();
  }
  await sleep(20);
  assertNoFaults();
}

/** A raw WebSocket session that joined `/` with `connect` (already encoded), then sends `frames`. */
async function expectClosed(
  s: Scene,
  connect: string | Buffer,
  frames: Array<string | Buffer>,
  label: string,
): Promise<void> {
  const peer = await EioPeer.open(s.srv.port);
  try {
    const before = s.reasons.length;
    peer.send(connect);
    await peer.next((m) => typeof m !== "string" || m.startsWith("40") || m.startsWith('4{"'), 3000);
    for (const f of frames) peer.send(f);
    await peer.closedWithin(3000).catch((err: Error) => assert.fail(`${label}: ${err.message}`));
    // The server socket is gone too, with the reason the built-in parser's errors give.
    const deadline = Date.now() + 3000;
    while (s.reasons.length === before && Date.now() < deadline) await sleep(10);
    assert.equal(s.reasons.length, before + 1, `${label}: one server socket disconnected`);
  } finally {
    peer.terminate();
  }
}

/** The server-side reason and error code a parse error of the built-in parser gives. */
async function builtinParseError(): Promise<{ reason: string; error: string }> {
  let result = { reason: "", error: "" };
  await withParser(undefined, async (s) => {
    await expectClosed(s, "40", ['42["unterminated'], "built-in parse error");
    result = { reason: s.reasons[0]!, error: s.errors[0]! };
  });
  return result;
}

test(
  "msgpack: garbage, bad shapes and reserved names close that connection like a built-in parse error",
  LIMIT,
  async () => {
    const builtin = await builtinParseError();
    assert.equal(builtin.reason, "forced close");
    await withParser(msgpackParser, async (s) => {
      const connect = msgpack({ type: 0, nsp: "/" });
      const attacks: Array<[string, Buffer | string]> = [
        ["a byte msgpack never uses", Buffer.from([0xc1])],
        ["a truncated map", Buffer.from([0x83, 0xa4, 0x74])],
        ["a text frame", '42["hello"]'],
        ["not a map", msgpack([2, "/", ["hello"]])],
        ["unknown type", msgpack({ type: 9, nsp: "/", data: ["x"] })],
        ["type as a string", msgpack({ type: "2", nsp: "/", data: ["x"] })],
        ["namespace not a string", msgpack({ type: 2, nsp: 5, data: ["x"] })],
        ["namespace without a slash", msgpack({ type: 2, nsp: "admin", data: ["x"] })],
        ["event payload not an array", msgpack({ type: 2, nsp: "/", data: "hello" })],
        ["event name an object", msgpack({ type: 2, nsp: "/", data: [{ toString: "x" }] })],
        ["event name missing", msgpack({ type: 2, nsp: "/", data: [] })],
        ["negative ack id", msgpack({ type: 2, nsp: "/", id: -1, data: ["echo", 1] })],
        ["huge ack id", msgpack({ type: 2, nsp: "/", id: 2 ** 60, data: ["echo", 1] })],
        ["fractional ack id", msgpack({ type: 2, nsp: "/", id: 1.5, data: ["echo", 1] })],
        ["DISCONNECT with a payload", msgpack({ type: 1, nsp: "/", data: { x: 1 } })],
        ["nested 1,001 deep", msgpack({ type: 2, nsp: "/", data: ["echo", nest(1001)] })],
      ];
      for (const reserved of [
        "disconnect",
        "disconnecting",
        "connect",
        "connect_error",
        "newListener",
        "removeListener",
      ]) {
        attacks.push([`reserved event "${reserved}"`, msgpack({ type: 2, nsp: "/", data: [reserved, "x"] })]);
      }
      for (const [label, frame] of attacks) await expectClosed(s, connect, [frame], label);
      assert.ok(
        s.reasons.every((r) => r === builtin.reason),
        `reasons: ${s.reasons.join(", ")}`,
      );
      assert.ok(
        s.errors.every((code) => /^(INVALID_[A-Z_]+|RESERVED_EVENT)$/.test(code)),
        `error codes: ${s.errors.join(", ")}`,
      );
      assert.ok(s.errors.includes("RESERVED_EVENT") && s.errors.includes("INVALID_ACK_ID"));

      // The limits are exact: 1,000 deep, the largest safe ack id and `error` are accepted.
      const peer = await EioPeer.open(s.srv.port);
      try {
        peer.send(connect);
        await peer.next((m) => typeof m !== "string");
        peer.send(msgpack({ type: 2, nsp: "/", id: Number.MAX_SAFE_INTEGER, data: ["echo", nest(999)] }));
        peer.send(msgpack({ type: 2, nsp: "/", data: ["error", "a legal event name"] }));
        const ack = await peer.next((m) => typeof m !== "string" && m.length > 1000);
        const decoded = await decodeMsgpack(ack as Buffer);
        assert.equal(decoded["type"], 3);
        assert.equal(decoded["id"], Number.MAX_SAFE_INTEGER);
        await sleep(50);
        assert.equal(peer.ws.readyState, peer.ws.OPEN, "still open");
      } finally {
        peer.terminate();
      }
    });
  },
);

function nest(depth: number): unknown {
  let v: unknown = "leaf";
  for (let i = 1; i < depth; i++) v = [v];
  return v;
}

function decodeMsgpack(frame: Buffer): Promise<Record<string, unknown>> {
  const decoder = new msgpackParser.Decoder();
  return new Promise((resolve) => {
    decoder.on("decoded", resolve);
    decoder.add(frame);
  });
}

test(
  "a custom decoder that throws, emits garbage or several packets per frame closes only that connection",
  LIMIT,
  async () => {
    const builtin = await builtinParseError();
    const misbehaving: Array<[string, (d: EventEmitter, frame: string) => void]> = [
      [
        "throws an Error",
        () => {
          throw new Error("codec bug");
        },
      ],
      [
        "throws a non-Error",
        () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- a codec may throw anything
          throw "a string";
        },
      ],
      ["emits null", (d) => d.emit("decoded", null)],
      ["emits a number", (d) => d.emit("decoded", 42)],
      [
        "emits a packet whose getter throws",
        (d) =>
          d.emit("decoded", {
            type: 2,
            nsp: "/",
            get data(): unknown {
              throw new Error("getter");
            },
          }),
      ],
      [
        "emits two packets for one frame",
        (d, f) => {
          d.emit("decoded", JSON.parse(f));
          d.emit("decoded", JSON.parse(f));
        },
      ],
      [
        "emits a bad packet and swallows what listeners throw",
        (d) => {
          try {
            d.emit("decoded", { type: 2, nsp: "/", data: ["disconnect"] });
          } catch {
            /* a codec that hides errors must not hide the packet from validation */
          }
        },
      ],
    ];
    for (const [label, behaviour] of misbehaving) {
      let handled = 0;
      // The healthy client's frames decode normally; the hostile peer's `bad` frames misbehave.
      const parser = jsonParser((d, f) => (f.includes('"bad"') ? behaviour(d, f) : d.emit("decoded", JSON.parse(f))));
      await withParser(parser, async (s) => {
        s.srv.io.on("connection", (socket) => socket.on("bad", () => handled++));
        await expectClosed(
          s,
          "4" + JSON.stringify({ type: 0, nsp: "/" }),
          ["4" + JSON.stringify({ type: 2, nsp: "/", data: ["bad", 1] })],
          label,
        );
        assert.deepEqual(s.reasons, [builtin.reason], label);
        assert.equal(handled, 0, `${label}: no handler ran`);
        assert.equal(s.errors.length, 1, `${label}: one error event`);
      });
    }
  },
);

test("an asynchronous custom decoder works; its bad late packets close the connection", LIMIT, async () => {
  const parser = jsonParser((d, f) => {
    const packet: unknown = JSON.parse(f);
    setImmediate(() => d.emit("decoded", packet));
  });
  await withParser(parser, async (s) => {
    // The healthy client already connected and will echo through the deferred decoder.
    assert.equal(await s.healthy.timeout(4000).emitWithAck("echo", "deferred"), "deferred");
    await expectClosed(
      s,
      "4" + JSON.stringify({ type: 0, nsp: "/" }),
      ["4" + JSON.stringify({ type: 2, nsp: "/", data: ["connect"] })],
      "late reserved event",
    );
  });
});

test("a Decoder whose constructor throws refuses its connections without crashing", LIMIT, async () => {
  recordFaults();
  let constructed = 0;
  class Decoder extends EventEmitter {
    constructor() {
      super();
      constructed++;
      throw new Error("cannot construct");
    }
    add(): void {}
  }
  const parser: Parser = { Encoder: jsonParser().Encoder, Decoder };
  const srv = await startServer({ parser });
  try {
    const peer = await EioPeer.open(srv.port);
    peer.send("4" + JSON.stringify({ type: 0, nsp: "/" }));
    await peer.closedWithin(3000);
    assert.equal(constructed, 1);
  } finally {
    await srv.close();
  }
  await sleep(20);
  assertNoFaults();
});

test("the parser option must have Encoder and Decoder", () => {
  for (const bad of [{}, { Encoder: class {} }, { Decoder: class {} }, null, "msgpack"]) {
    assert.throws(
      () => new Server({ parser: bad as unknown as Parser }),
      (err: Error) => err instanceof TypeError && /Encoder and Decoder/.test(err.message),
    );
  }
});
