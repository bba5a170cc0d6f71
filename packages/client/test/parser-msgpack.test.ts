/**
 * The `parser` option: the omnio client with socket.io-msgpack-parser against the official
 * socket.io 4.8.4 server and the omnio server with the same parser, and custom decoders that misbehave (they throw,
 * emit invalid packets, several packets or none per message, or emit later).
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import msgpackParser from "socket.io-msgpack-parser";
import * as socketIoParser from "socket.io-parser";
import { Manager, type Parser, type ParserDecoder } from "@omnio/client";
import { createNodePlatform, io } from "@omnio/client/node";
import { once, SERVER_KINDS, type ServerKind } from "./support/servers.js";
import { MODES, nextServerSocket, startSio, until } from "./support/sio.js";

/** Starts a server (the official one unless told) with the msgpack parser. */
const startMsgpack = (opts: Record<string, unknown> = {}, kind: ServerKind = "socket.io") =>
  startSio(kind, { parser: msgpackParser, ...opts });

for (const [kind, mode] of SERVER_KINDS.flatMap((k) => MODES.map((m) => [k, m] as const))) {
  describe(`msgpack parser against ${kind} [${mode.name}]`, () => {
    const base = { transports: mode.transports, upgrade: mode.upgrade, parser: msgpackParser };

    test("connect, events and acks both ways, binary both ways", async () => {
      const srv = await startMsgpack({}, kind);
      try {
        const serverSocket = nextServerSocket(srv.io);
        const socket = io(srv.url, { ...base, reconnection: false, auth: { token: "t" } });
        await once(socket, "connect");
        const s = await serverSocket;
        assert.deepEqual(s.handshake.auth, { token: "t" });
        assert.equal(socket.id, s.id);

        // Client → server: text, binary (a view and an ArrayBuffer), and an ack with binary.
        s.on("up", (text: string, bytes: ArrayBuffer, nested: { b: ArrayBuffer }, ack: (...a: unknown[]) => void) => {
          ack(text.toUpperCase(), Buffer.from([...new Uint8Array(bytes)].reverse()), nested.b.byteLength);
        });
        const reply = await new Promise<unknown[]>((resolve) =>
          socket.emit(
            "up",
            "héllo ☃",
            new Uint8Array([1, 2, 3]),
            { b: new Uint8Array([9, 8]).buffer },
            (...a: unknown[]) => resolve(a),
          ),
        );
        assert.equal(reply[0], "HÉLLO ☃");
        // Binary from the msgpack decoder arrives as the parser builds it: on Node, a Buffer
        // (as with socket.io-client and this parser), not the default parser's ArrayBuffer.
        assert.ok(Buffer.isBuffer(reply[1]));
        assert.deepEqual([...reply[1]], [3, 2, 1]);
        assert.equal(reply[2], 2);

        // Server → client: an event with binary, and an ack the client calls.
        const down = once<[number, Buffer, { deep: Buffer }, (v: unknown) => void]>(socket, "down");
        const acked = new Promise((resolve) =>
          s.emit("down", 42, Buffer.from([4, 5]), { deep: Buffer.from([6]) }, (v: unknown) => resolve(v)),
        );
        const [n, buf, obj, ack] = await down;
        assert.equal(n, 42);
        assert.ok(Buffer.isBuffer(buf));
        assert.deepEqual([...buf], [4, 5]);
        assert.deepEqual([...obj.deep], [6]);
        ack(Buffer.from([7]));
        // The server's msgpack decoder gives a Buffer for a Buffer the client sent.
        assert.deepEqual([...((await acked) as Buffer)], [7]);
        assert.equal(
          await socket.timeout(2000).emitWithAck("up", "a", new ArrayBuffer(0), { b: new ArrayBuffer(3) }),
          "A",
        );
        socket.disconnect();
      } finally {
        await srv.close();
      }
    });

    test("two namespaces over one Manager, and connect_error from a middleware", async () => {
      const srv = await startMsgpack({}, kind);
      try {
        srv.io.of("/admin").on("connection", (s: any) => s.on("who", (ack: (n: string) => void) => ack(s.nsp.name)));
        srv.io.on("connection", (s: any) => s.on("who", (ack: (n: string) => void) => ack(s.nsp.name)));
        srv.io
          .of("/locked")
          .use((_s: unknown, next: (e: Error) => void) =>
            next(Object.assign(new Error("not allowed"), { data: { code: 403 } })),
          );
        const manager = new Manager(srv.url, { ...base, platform: createNodePlatform(), reconnection: false });
        const main = manager.socket("/");
        const admin = manager.socket("/admin");
        const locked = manager.socket("/locked");
        const refused = once<[Error & { data?: unknown }]>(locked, "connect_error");
        await Promise.all([once(main, "connect"), once(admin, "connect")]);
        assert.equal(await main.emitWithAck("who"), "/");
        assert.equal(await admin.emitWithAck("who"), "/admin");
        const [error] = await refused;
        assert.equal(error.message, "not allowed");
        assert.deepEqual(error.data, { code: 403 });
        assert.equal(srv.engineConnections(), 1);
        manager.close();
      } finally {
        await srv.close();
      }
    });

    test("reconnects after the server closes the connection", async () => {
      const srv = await startMsgpack({}, kind);
      let cleanup = (): void => {};
      try {
        const first = nextServerSocket(srv.io);
        const socket = io(srv.url, { ...base, reconnectionDelay: 30, reconnectionDelayMax: 60 });
        cleanup = () => socket.disconnect();
        await once(socket, "connect");
        const gone = once<[string]>(socket, "disconnect");
        const second = nextServerSocket(srv.io);
        (await first).conn.close();
        assert.equal((await gone)[0], "transport close");
        await once(socket, "connect");
        const s = await second;
        const echoed = new Promise((resolve) => s.on("echo", resolve));
        socket.emit("echo", new Uint8Array([1]));
        assert.deepEqual([...new Uint8Array((await echoed) as ArrayBuffer)], [1]);
      } finally {
        cleanup();
        await srv.close();
      }
    });
  });
}

describe("socket.io-parser as a custom parser, against socket.io's default parser", () => {
  test("binary packets take several messages: the custom decoder reassembles them (BINARY_EVENT, BINARY_ACK)", async () => {
    const srv = await startSio("socket.io");
    try {
      srv.io.on("connection", (s: any) =>
        s.on("swap", (a: Buffer, b: Buffer, ack: (...v: unknown[]) => void) => ack(b, a, "done")),
      );
      const socket = io(srv.url, { parser: socketIoParser, reconnection: false });
      await once(socket, "connect");
      const reply = await new Promise<unknown[]>((resolve) =>
        socket.emit("swap", new Uint8Array([1]), new Uint8Array([2, 3]), (...v: unknown[]) => resolve(v)),
      );
      // socket.io-parser's Node decoder keeps the attachments as it got them: Buffers.
      assert.deepEqual(
        reply.slice(0, 2).map((b) => [...(b as Buffer)]),
        [[2, 3], [1]],
      );
      assert.equal(reply[2], "done");
      socket.disconnect();
    } finally {
      await srv.close();
    }
  });
});

/**
 * A parser whose decoder decodes with msgpack, then emits what `transform` makes of each
 * packet (`transform` may throw, and runs inside `add()`).
 */
function wrappedParser(transform: (packet: any, emit: (p: unknown) => void) => void): Parser {
  class Decoder extends EventEmitter implements ParserDecoder {
    readonly inner = new msgpackParser.Decoder();
    constructor() {
      super();
      this.inner.on("decoded", (packet: any) => transform(packet, (p) => this.emit("decoded", p)));
    }
    add(chunk: unknown): void {
      this.inner.add(chunk);
    }
    destroy(): void {}
  }
  return { Encoder: msgpackParser.Encoder, Decoder };
}

const isEvent = (packet: any, name: string): boolean => packet.type === 2 && packet.data?.[0] === name;

describe("a custom decoder that misbehaves", () => {
  // Each case: what the decoder emits for the server's `bad` event.
  const invalid: [string, (p: any) => unknown][] = [
    ["not an object", () => "42"],
    ["null", () => null],
    ["an unknown packet type", (p) => ({ ...p, type: 7 })],
    ["a type as a string", (p) => ({ ...p, type: "2" })],
    ["no namespace", (p) => ({ type: 2, data: p.data })],
    ["a negative ack id", (p) => ({ ...p, id: -1 })],
    ["a fractional ack id", (p) => ({ ...p, id: 1.5 })],
    ["a reserved event name", (p) => ({ ...p, data: ["connect"] })],
    ["an object as event name", (p) => ({ ...p, data: [{ toString: "x" }] })],
    ["an event without array", (p) => ({ ...p, data: { 0: "bad" } })],
    ["an ack without array", (p) => ({ ...p, type: 3, id: 0, data: "x" })],
    ["a DISCONNECT with data", (p) => ({ ...p, type: 1, data: ["x"] })],
    ["a CONNECT_ERROR with a number", (p) => ({ ...p, type: 4, data: 5 })],
  ];

  test("a decoder that throws or emits an invalid packet closes with parse error; the Manager reconnects", async () => {
    const srv = await startMsgpack();
    const sockets: { disconnect(): unknown }[] = [];
    try {
      srv.io.on("connection", (s: any) => {
        s.on("trigger", () => s.emit("bad", 1));
        s.on("probe", (ack: (v: string) => void) => ack("alive"));
      });
      const cases: [string, (p: any, emit: (p: unknown) => void) => void][] = [
        [
          "throws",
          () => {
            throw new Error("decoder bug");
          },
        ],
        ...invalid.map(([what, make]): [string, (p: any, emit: (p: unknown) => void) => void] => [
          what,
          (p, emit) => emit(make(p)),
        ]),
        [
          "a valid packet, then throws",
          (p, emit) => {
            emit(p);
            throw new Error("after");
          },
        ],
      ];
      for (const [what, misbehave] of cases) {
        const parser = wrappedParser((p, emit) => (isEvent(p, "bad") ? misbehave(p, emit) : emit(p)));
        const socket = io(srv.url, {
          parser,
          transports: ["websocket"],
          reconnectionDelay: 20,
          reconnectionDelayMax: 40,
        });
        sockets.push(socket);
        await once(socket, "connect");
        let badEvents = 0;
        socket.on("bad", () => badEvents++);
        const managerClosed = once<[string, unknown]>(socket.io, "close");
        const disconnected = once<[string]>(socket, "disconnect");
        socket.emit("trigger");
        const [reason, description] = await managerClosed;
        assert.equal(reason, "parse error", what);
        assert.equal((await disconnected)[0], "parse error", what);
        if (what !== "throws" && !what.includes("then throws")) {
          // The protocol's validator names what is wrong (INVALID_PACKET_TYPE, INVALID_NAMESPACE, …).
          assert.equal((description as Error).name, "ProtocolError", what);
          assert.match(String((description as { code?: string }).code), /^(INVALID_|RESERVED_EVENT$)/, what);
        } else assert.ok(description instanceof Error, what);
        assert.equal(badEvents, 0, what);
        await once(socket, "connect");
        // The new connection works.
        assert.equal(await socket.timeout(2000).emitWithAck("probe"), "alive", what);
        socket.disconnect();
      }
    } finally {
      // A failed case must not leave a client reconnecting forever.
      for (const socket of sockets) socket.disconnect();
      await srv.close();
    }
  });

  test("several packets per message are delivered in order; none is fine; a decoder may emit later", async () => {
    const srv = await startMsgpack();
    try {
      srv.io.on("connection", (s: any) => {
        s.on("twice", () => s.emit("double", "x"));
        s.on("swallow", () => s.emit("swallowed"));
        s.on("later", () => s.emit("late", 7));
        s.on("probe", (ack: (v: string) => void) => ack("alive"));
      });
      const parser = wrappedParser((p, emit) => {
        if (isEvent(p, "double")) {
          emit({ ...p, data: ["double", 1] });
          emit({ ...p, data: ["double", 2] });
        } else if (isEvent(p, "swallowed")) {
          // nothing
        } else if (isEvent(p, "late")) setTimeout(() => emit(p), 20);
        else emit(p);
      });
      const socket = io(srv.url, { parser, reconnection: false });
      await once(socket, "connect");
      const doubles: unknown[] = [];
      socket.on("double", (v) => doubles.push(v));
      socket.on("swallowed", () => assert.fail("swallowed packet delivered"));
      socket.emit("twice");
      await until(() => doubles.length === 2);
      assert.deepEqual(doubles, [1, 2]);
      socket.emit("swallow");
      const late = once<[number]>(socket, "late");
      socket.emit("later");
      assert.deepEqual(await late, [7]);
      assert.equal(await socket.timeout(2000).emitWithAck("probe"), "alive");
      assert.equal(socket.connected, true);
      socket.disconnect();
    } finally {
      await srv.close();
    }
  });

  test("a packet emitted by a stale decoder after the connection closed is dropped", async () => {
    const srv = await startMsgpack();
    try {
      srv.io.on("connection", (s: any) => s.on("later", () => s.emit("late", 7)));
      let emitLate: (() => void) | undefined;
      const parser = wrappedParser((p, emit) => {
        if (isEvent(p, "late")) emitLate = () => emit(p);
        else emit(p);
      });
      const socket = io(srv.url, { parser, reconnection: false });
      await once(socket, "connect");
      let late = 0;
      socket.on("late", () => late++);
      socket.emit("later");
      await until(() => emitLate !== undefined);
      socket.disconnect();
      emitLate!();
      assert.equal(late, 0);
    } finally {
      await srv.close();
    }
  });

  test("a decoder whose destroy() throws: the connection still closes and reconnects", async () => {
    const srv = await startMsgpack();
    try {
      const base = wrappedParser((p, emit) => emit(p));
      let destroyed = 0;
      class Decoder extends base.Decoder {
        override destroy(): void {
          destroyed++;
          throw new Error("cleanup bug");
        }
      }
      const socket = io(srv.url, { parser: { Encoder: base.Encoder, Decoder }, reconnectionDelay: 20 });
      await once(socket, "connect");
      const closed = once<[string]>(socket.io, "close");
      // The server ends the connection: the Manager cleans up (destroy throws) and reconnects.
      for (const s of srv.io.of("/").sockets.values()) s.conn.close();
      assert.equal((await closed)[0], "transport close");
      await once(socket, "connect");
      assert.ok(destroyed >= 1);
      socket.disconnect();
    } finally {
      await srv.close();
    }
  });
});
