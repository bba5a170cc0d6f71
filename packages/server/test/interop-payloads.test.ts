/**
 * Interop: every JSON value type, unicode, payloads close to `maxHttpBufferSize` and binary
 * (Buffer, ArrayBuffer, typed arrays, nested) between the official client and omnio, both
 * directions, over each transport set-up.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MODES, next, pair, startInterop } from "./support/interop.js";

const JSON_VALUES: ReadonlyArray<[string, unknown]> = [
  ["a string", "hello"],
  ["an empty string", ""],
  ["an integer", 42],
  ["zero", 0],
  ["a negative float", -1.5],
  ["a large number", 1e21],
  ["true", true],
  ["false", false],
  ["null", null],
  ["an empty object", {}],
  ["an empty array", []],
  ["a nested object", { a: { b: { c: [1, "two", { three: 3 }] } }, d: null, e: [true, false] }],
  ["unicode text", "héllo wörld ✓ 日本語 Ελληνικά עברית"],
  ["emoji (surrogate pairs)", "🎉👍🏽🏳️‍🌈 𝒳"],
  ["control characters and separators", 'line1\nline2\t\u001e\u0000"quoted"\\'],
  ["unicode keys", { clé: "valeur", "🔑": ["🎈"] }],
];

/** The bytes of a binary value as the server received it (socket.io gives Buffers). */
function bytes(value: unknown): number[] {
  assert.ok(Buffer.isBuffer(value), `expected a Buffer, got ${Object.prototype.toString.call(value)}`);
  return [...value];
}

describe("interop: payloads", { concurrency: true }, () => {
  for (const mode of MODES) {
    test(`[${mode}] JSON values client → server, acked back unchanged`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        socket.on("echo", (...args: unknown[]) => (args.pop() as (...a: unknown[]) => void)(...args));
        for (const [label, value] of JSON_VALUES) {
          assert.deepEqual(await client.emitWithAck("echo", value), value, label);
        }
        const many = await new Promise<unknown[]>((resolve) =>
          client.emit("echo", 1, "two", [3], { four: 4 }, null, (...a: unknown[]) => resolve(a)),
        );
        assert.deepEqual(many, [1, "two", [3], { four: 4 }, null]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] JSON values server → client, in order`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const received: unknown[] = [];
        const done = new Promise<void>((resolve) =>
          client.on("value", (label: string, value: unknown) => {
            received.push([label, value]);
            if (received.length === JSON_VALUES.length) resolve();
          }),
        );
        for (const [label, value] of JSON_VALUES) socket.emit("value", label, value);
        await done;
        assert.deepEqual(received, JSON_VALUES);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] payloads just under maxHttpBufferSize pass both ways`, async () => {
      const limit = 200_000;
      const srv = await startInterop({ maxHttpBufferSize: limit });
      try {
        const { client, socket } = await pair(srv, "/", mode);
        // `42["big","…"]`: 11 bytes of framing around the string.
        const big = "x".repeat(limit - 100);
        const gotByServer = next<[string]>(socket, "big");
        client.emit("big", big);
        assert.equal((await gotByServer)[0], big);

        // Polling carries binary as base64 (4/3 bigger), so keep the buffer within the limit then.
        const bin = Buffer.alloc(Math.floor((limit - 100) * 0.74), 7);
        const gotBin = next<[unknown]>(socket, "bigbin");
        client.emit("bigbin", bin);
        assert.deepEqual(bytes((await gotBin)[0]), [...bin]);

        const gotByClient = next<[string, Buffer]>(client, "big");
        socket.emit("big", big, bin);
        const [s, b] = await gotByClient;
        assert.equal(s, big);
        assert.ok(Buffer.isBuffer(b));
        assert.ok(b.equals(bin));
        assert.ok(client.connected);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] values JSON cannot carry travel as JSON.stringify writes them, both ways`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const odd = (): unknown[] => [
          undefined,
          {
            date: new Date(0),
            undef: undefined,
            nan: NaN,
            inf: -Infinity,
            list: [undefined, () => 1, 1],
            custom: { toJSON: () => ({ via: "toJSON" }) },
          },
        ];
        const expected = [
          null,
          { date: "1970-01-01T00:00:00.000Z", nan: null, inf: null, list: [null, null, 1], custom: { via: "toJSON" } },
        ];
        const toClient = next<unknown[]>(client, "odd");
        socket.emit("odd", ...odd());
        assert.deepEqual(await toClient, expected);
        const toServer = next<unknown[]>(socket, "odd");
        client.emit("odd", ...odd());
        assert.deepEqual(await toServer, expected);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] binary client → server: Buffer, ArrayBuffer, typed arrays, nested`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const got = next<unknown[]>(socket, "bin");
        const backing = new Uint8Array([9, 9, 1, 2, 3, 9]).buffer;
        client.emit(
          "bin",
          Buffer.from([1, 2, 3]),
          new Uint8Array([4, 5, 6]).buffer,
          {
            typed: new Uint16Array([1, 0xffff]),
            list: [new Int8Array([-1, 2]), "text", { deep: new Float32Array([1.5]) }],
            view: new Uint8Array(backing, 2, 3),
            empty: new Uint8Array(0),
          },
          "trailing",
        );
        const [buf, ab, obj, tail] = await got;
        assert.deepEqual(bytes(buf), [1, 2, 3]);
        assert.deepEqual(bytes(ab), [4, 5, 6]);
        const o = obj as { typed: unknown; list: [unknown, unknown, { deep: unknown }]; view: unknown; empty: unknown };
        assert.deepEqual(bytes(o.typed), [...new Uint8Array(new Uint16Array([1, 0xffff]).buffer)]);
        assert.deepEqual(bytes(o.list[0]), [0xff, 2]);
        assert.equal(o.list[1], "text");
        assert.deepEqual(bytes(o.list[2].deep), [...new Uint8Array(new Float32Array([1.5]).buffer)]);
        assert.deepEqual(bytes(o.view), [1, 2, 3]);
        assert.deepEqual(bytes(o.empty), []);
        assert.equal(tail, "trailing");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] binary server → client arrives as Buffers, views keep only their bytes`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const got = next<unknown[]>(client, "bin");
        // Small Buffers come from Node's shared pool: a non-zero byteOffset into a larger buffer.
        const pooled = Buffer.from("abc");
        const backing = new Uint8Array([9, 9, 1, 2, 3, 9]).buffer;
        socket.emit("bin", pooled, new Uint8Array([4, 5]).buffer, {
          typed: new Uint32Array([0x01020304]),
          list: [new Uint8Array(backing, 2, 3), { deep: Buffer.from([7]) }, 8],
        });
        const [a, b, obj] = await got;
        const o = obj as { typed: unknown; list: [unknown, { deep: unknown }, number] };
        assert.deepEqual(bytes(a), [...Buffer.from("abc")]);
        assert.deepEqual(bytes(b), [4, 5]);
        assert.deepEqual(bytes(o.typed), [...new Uint8Array(new Uint32Array([0x01020304]).buffer)]);
        assert.deepEqual(bytes(o.list[0]), [1, 2, 3]);
        assert.deepEqual(bytes(o.list[1].deep), [7]);
        assert.equal(o.list[2], 8);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] binary in acks both ways`, async () => {
      const srv = await startInterop();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        socket.on("reverse", (data: Buffer, ack: (r: unknown) => void) =>
          ack({ reversed: Buffer.from([...data].reverse()) }),
        );
        const answer = (await client.emitWithAck("reverse", Buffer.from([1, 2, 3]))) as { reversed: unknown };
        assert.deepEqual(bytes(answer.reversed), [3, 2, 1]);

        client.on("double", (data: Buffer, ack: (...r: unknown[]) => void) =>
          ack(Buffer.from([...data].map((x) => x * 2)), [new Uint8Array([5])]),
        );
        const [doubled, list] = await new Promise<unknown[]>((resolve) =>
          socket.emit("double", new Uint8Array([1, 2, 3]), (...args: unknown[]) => resolve(args)),
        );
        assert.deepEqual(bytes(doubled), [2, 4, 6]);
        assert.deepEqual(bytes((list as unknown[])[0]), [5]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] binary broadcast reaches every client`, async () => {
      const srv = await startInterop();
      try {
        const a = await pair(srv, "/", mode);
        const b = await pair(srv, "/", mode);
        const gotA = next<unknown[]>(a.client, "bin");
        const gotB = next<unknown[]>(b.client, "bin");
        srv.io.emit("bin", { data: Buffer.from([1, 2]) }, new Uint8Array([3]));
        for (const [obj, extra] of [await gotA, await gotB]) {
          assert.deepEqual(bytes((obj as { data: unknown }).data), [1, 2]);
          assert.deepEqual(bytes(extra), [3]);
        }
      } finally {
        await srv.close();
      }
    });
  }
});
