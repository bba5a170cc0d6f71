/**
 * The `parser` option (reference §1.10 "Parser"): an omnio server with the official
 * `socket.io-msgpack-parser` talks to the official socket.io-client 4.8.4 using the same
 * parser — connect, events, acks and binary both ways, namespaces, rooms and broadcasts,
 * middleware refusals, disconnect reasons — over WebSocket, long-polling and an upgrade.
 *
 * Set `INTEROP_REFERENCE=1` to run the same tests against the official server.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as msgpackParser from "socket.io-msgpack-parser";
import type { Parser, ServerOptions } from "@omnio/server";
import { MODES, next, pair, startInterop, until, type ClientOptions } from "./support/interop.js";
import { sleep } from "./support/servers.js";

type Ack = (...args: unknown[]) => void;

/** The bytes of a Buffer, typed array or ArrayBuffer. */
function bytes(value: unknown): number[] {
  if (value instanceof ArrayBuffer) return [...new Uint8Array(value)];
  if (ArrayBuffer.isView(value)) return [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)];
  throw new TypeError(`not binary: ${Object.prototype.toString.call(value)}`);
}

/** The same parser on both sides. */
const SERVER: ServerOptions = { parser: msgpackParser };
const CLIENT: ClientOptions = { parser: msgpackParser };

describe("parser option: socket.io-msgpack-parser against the official client", { concurrency: true }, () => {
  for (const mode of MODES) {
    test(`[${mode}] connect, events both ways, acks both ways`, async () => {
      const srv = await startInterop(SERVER);
      try {
        const { client, socket } = await pair(srv, "/", mode, CLIENT);
        assert.equal(socket.id, client.id);
        socket.on("add", (a: number, b: number, ack: Ack) => ack(a + b, { sum: true }));
        const reply = next(socket, "hello");
        client.emit("hello", "world", 42, { nested: [1, null, "x"] }, true);
        assert.deepEqual(await reply, ["world", 42, { nested: [1, null, "x"] }, true]);
        assert.deepEqual(
          await new Promise<unknown[]>((resolve) => client.emit("add", 2, 3, (...args: unknown[]) => resolve(args))),
          [5, { sum: true }],
        );
        // Number event names travel as numbers (the msgpack decoder keeps the type).
        const numbered = next(socket, "7");
        client.emit(7 as unknown as string, "seven");
        assert.deepEqual(await numbered, ["seven"]);

        const toClient = next(client, "news");
        socket.emit("news", { headline: "msgpack" }, [1, 2, 3]);
        assert.deepEqual(await toClient, [{ headline: "msgpack" }, [1, 2, 3]]);
        client.on("upper", (s: string, ack: Ack) => ack(s.toUpperCase()));
        assert.equal(await socket.timeout(5000).emitWithAck("upper", "abc"), "ABC");
        assert.equal(await client.timeout(5000).emitWithAck("add", 20, 22), 42);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] binary both ways (Buffer, ArrayBuffer, typed arrays, nested, in acks)`, async () => {
      const srv = await startInterop(SERVER);
      try {
        const { client, socket } = await pair(srv, "/", mode, CLIENT);
        const fromClient = next<[unknown, { inner: unknown; list: unknown[] }]>(socket, "bin");
        client.emit("bin", Buffer.from([1, 2, 3]), {
          inner: new Uint8Array([4, 5]).buffer,
          list: [Buffer.from("x"), new Uint8Array([6])],
        });
        const [top, nested] = await fromClient;
        // The msgpack codec's own mapping: Buffer ↔ msgpack bin (a Buffer), other binary ↔ an
        // ArrayBuffer (its ext type 0), on the official server too.
        assert.ok(Buffer.isBuffer(top), "a Buffer arrives as a Buffer");
        assert.deepEqual(bytes(top), [1, 2, 3]);
        assert.ok(nested.inner instanceof ArrayBuffer);
        assert.deepEqual(bytes(nested.inner), [4, 5]);
        assert.deepEqual(nested.list.map(bytes), [[120], [6]]);

        const toClient = next<[unknown, unknown]>(client, "bin");
        socket.emit("bin", Buffer.from([9, 8, 7]), { ab: new Uint8Array([1, 0, 255]).buffer });
        const [buf, obj] = await toClient;
        assert.deepEqual(bytes(buf), [9, 8, 7]);
        assert.deepEqual(bytes((obj as { ab: unknown }).ab), [1, 0, 255]);

        // Binary in acks, both directions.
        socket.on("echo", (value: unknown, ack: Ack) => ack(value));
        const echoed: unknown = await client.timeout(5000).emitWithAck("echo", Buffer.from([0xca, 0xfe]));
        assert.deepEqual(bytes(echoed), [0xca, 0xfe]);
        client.on("sum", (b: unknown, ack: Ack) => ack(Buffer.from([bytes(b).reduce((x, y) => x + y)])));
        const summed: unknown = await socket.timeout(5000).emitWithAck("sum", Buffer.from([1, 2, 3]));
        assert.deepEqual(bytes(summed), [6]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] namespaces, rooms and broadcasts (encoded once, binary frame)`, async () => {
      const srv = await startInterop(SERVER);
      try {
        const admin = srv.io.of("/admin");
        const a = await pair(srv, "/admin", mode, CLIENT);
        const b = await pair(srv, "/admin", mode, CLIENT);
        const c = await pair(srv, "/admin", mode, CLIENT);
        const main = await pair(srv, "/", mode, CLIENT);
        assert.equal(a.client.id?.length, a.socket.id.length);
        a.socket.join("red");
        b.socket.join("red");

        const seen: string[] = [];
        for (const [name, p] of [
          ["a", a],
          ["b", b],
          ["c", c],
          ["main", main],
        ] as const) {
          p.client.on("room", (who: string, bin: ArrayBuffer) => seen.push(`${name}:${who}:${new Uint8Array(bin)[0]}`));
        }
        admin.to("red").emit("room", "red", Buffer.from([1]));
        admin.except("red").emit("room", "not-red", Buffer.from([2]));
        a.socket.broadcast.emit("room", "from-a", Buffer.from([3]));
        await until(() => seen.length >= 5, "five broadcast deliveries");
        await sleep(50); // nothing else arrives
        assert.deepEqual([...seen].sort(), ["a:red:1", "b:from-a:3", "b:red:1", "c:from-a:3", "c:not-red:2"]);
        // Broadcast with acks across the namespace.
        for (const p of [a, b, c]) p.client.on("vote", (ack: Ack) => ack(p.client.id));
        const votes = (await admin.timeout(5000).emitWithAck("vote")) as string[];
        assert.deepEqual(votes.sort(), [a.client.id, b.client.id, c.client.id].sort());
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] a middleware refusal reaches the client as connect_error with message and data`, async () => {
      const srv = await startInterop(SERVER);
      try {
        srv.io.of("/private").use((_socket, nextFn) => {
          const err = new Error("not authorized") as Error & { data?: unknown };
          err.data = { code: 401, retry: false };
          nextFn(err);
        });
        const client = srv.client("/private", mode, CLIENT);
        const [err] = await next<[Error & { data?: unknown }]>(client, "connect_error");
        assert.equal(err.message, "not authorized");
        assert.deepEqual(err.data, { code: 401, retry: false });
        assert.equal(client.active, false, "a middleware refusal does not reconnect");
        // An unknown namespace is refused as well.
        const nowhere = srv.client("/nowhere", mode, CLIENT);
        const [err2] = await next<[Error]>(nowhere, "connect_error");
        assert.equal(err2.message, "Invalid namespace");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] disconnect reasons on both sides`, async () => {
      const srv = await startInterop(SERVER);
      try {
        const one = await pair(srv, "/", mode, CLIENT);
        const serverSide = next<[string]>(one.socket, "disconnect");
        one.client.disconnect();
        assert.equal((await serverSide)[0], "client namespace disconnect");

        const two = await pair(srv, "/", mode, CLIENT);
        const clientSide = next<[string]>(two.client, "disconnect");
        two.socket.disconnect();
        assert.equal((await clientSide)[0], "io server disconnect");

        const three = await pair(srv, "/", mode, CLIENT);
        const both = Promise.all([
          next<[string]>(three.client, "disconnect"),
          next<[string]>(three.socket, "disconnect"),
        ]);
        three.socket.disconnect(true);
        const [[c], [s]] = await both;
        assert.equal(c, "io server disconnect");
        assert.equal(s, "server namespace disconnect");
      } finally {
        await srv.close();
      }
    });
  }

  test("a client with the default parser cannot connect to a msgpack server; the server keeps serving", async () => {
    const srv = await startInterop(SERVER);
    try {
      const healthy = await pair(srv, "/", "websocket", CLIENT);
      healthy.socket.on("echo", (v: unknown, ack: Ack) => ack(v));
      for (const mode of MODES) {
        let connected = false;
        const plain = srv.client("/", mode, { timeout: 3000 });
        plain.on("connect", () => (connected = true));
        // The server reads its text CONNECT as an undecodable frame and closes the session.
        const [reason] = await Promise.race([
          next<[string]>(plain, "disconnect"),
          next<[Error]>(plain, "connect_error").then(([e]) => [e.message]),
        ]);
        assert.equal(connected, false, `[${mode}] never connected`);
        // Closed by the server at once, not left to time out.
        assert.equal(reason, "transport close", `[${mode}]`);
        plain.disconnect();
      }
      assert.equal(await healthy.client.timeout(4000).emitWithAck("echo", "still here"), "still here");
    } finally {
      await srv.close();
    }
  });

  test("the parser option accepts socket.io-msgpack-parser's module as typed by that package", () => {
    // Compile-time checks: the module namespace, its classes, and socket.io-parser's shape.
    const asParser: Parser = msgpackParser;
    const opts: ServerOptions = { parser: msgpackParser };
    assert.equal(asParser.Encoder, msgpackParser.Encoder);
    assert.equal(opts.parser, msgpackParser);
    // @ts-expect-error: a parser needs a Decoder.
    const missing: Parser = { Encoder: msgpackParser.Encoder };
    assert.ok(missing);
  });
});
