/**
 * Blob and File in emits (browser semantics, run in Node 20 through the Node platform, whose
 * `isBlob`/`readBlob` use `node:buffer`'s Blob): the server receives binary, and packets keep
 * the emit order although reading a Blob is asynchronous. Against both servers × 3 transports.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { Blob } from "node:buffer";
import { Manager, ClientError, type ManagerOptions, type Platform } from "@omnio/client";
import { createNodePlatform, io } from "@omnio/client/node";
import { SERVER_KINDS, once } from "./support/servers.js";
import { MODES, startSio, until } from "./support/sio.js";
import { FakePlatform } from "./support/fake-platform.js";

for (const kind of SERVER_KINDS) {
  describe(`Blob emits [${kind}]`, () => {
    for (const mode of MODES) {
      test(`${mode.name}: Blob and File arrive as binary, in emit order with the packets around them`, async () => {
        const srv = await startSio(kind);
        const seen: unknown[][] = [];
        srv.io.on("connection", (s: any) => {
          s.onAny((event: string, ...args: unknown[]) => {
            const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (v: unknown) => void) : undefined;
            seen.push([event, ...args]);
            ack?.(args.length);
          });
        });
        const socket = io(srv.url, {
          platform: createNodePlatform(),
          transports: mode.transports,
          upgrade: mode.upgrade,
        });
        try {
          await once(socket, "connect");
          const big = new Uint8Array(200_000).map((_, i) => i % 251);
          socket.emit("before", 1);
          socket.emit("blob", new Blob([big]), { nested: [new Blob(["héllo"])] });
          socket.emit("between", 2);
          socket.emit("file", new File([new Uint8Array([7, 8, 9])], "a.bin"));
          const count = await socket.timeout(5000).emitWithAck("after", new Uint8Array([1]));
          assert.equal(count, 1);
          await until(() => seen.length === 5, 5000, "5 events");
          assert.deepEqual(
            seen.map((e) => e[0]),
            ["before", "blob", "between", "file", "after"],
          );
          const [, blob, nested] = seen[1] as [string, Buffer, { nested: Buffer[] }];
          assert.ok(Buffer.isBuffer(blob), "a Blob arrives as binary");
          assert.deepEqual(new Uint8Array(blob), big);
          assert.equal(Buffer.from(nested.nested[0]!).toString(), "héllo");
          assert.deepEqual([...(seen[3]![1] as Buffer)], [7, 8, 9]);
        } finally {
          socket.disconnect();
          await srv.close();
        }
      });
    }
  });
}

const HANDSHAKE = '0{"sid":"e1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":100000}';

/** A host's own blob type, unknown to the codec: only the platform can recognise and read it. */
class HostBlob {
  constructor(readonly byte: number) {}
}
const blob = (byte: number): HostBlob => new HostBlob(byte);

/** A fake platform whose blobs are read when the test says so. */
function blobPlatform(): { platform: FakePlatform; reads: ((ok: boolean) => void)[] } {
  const platform = new FakePlatform();
  const reads: ((ok: boolean) => void)[] = [];
  const extra: Pick<Platform, "isBlob" | "readBlob"> = {
    isBlob: (d) => d instanceof HostBlob,
    readBlob: (b, callback) =>
      reads.push((ok) => {
        if (!ok) return callback(undefined, new Error("EIO"));
        platform.setTimeout(() => callback(new Uint8Array([(b as HostBlob).byte]).buffer), 1);
      }),
  };
  Object.assign(platform, extra);
  return { platform, reads };
}

/** A Manager on `platform` (websocket only) whose first connection is open and "/" connected. */
function connected(platform: FakePlatform, options: Omit<ManagerOptions, "platform"> = {}) {
  const manager = new Manager("http://example.test", { platform, transports: ["websocket"], ...options });
  const socket = manager.socket("/");
  const conn = platform.connections[0]!;
  conn.handlers.onOpen();
  conn.handlers.onMessage(HANDSHAKE);
  conn.handlers.onMessage('40{"sid":"s1"}');
  return { manager, socket, conn };
}

test("later packets wait behind a Blob being read; a read failure drops only that packet with BLOB_READ_ERROR", () => {
  const { platform, reads } = blobPlatform();
  const { manager, socket, conn } = connected(platform);
  const errors: unknown[] = [];
  manager.on("error", (e) => errors.push(e));
  conn.sent.length = 0;
  socket.emit("a", blob(1), blob(2));
  socket.emit("b", "text");
  socket.emit("c", blob(3));
  socket.emit("d");
  assert.equal(conn.sent.length, 0, "nothing is written before the first Blob is read");
  assert.equal(reads.length, 2, "both Blobs of the first packet are read at once");
  reads[1]!(true);
  platform.advance(1);
  assert.equal(conn.sent.length, 0);
  reads[0]!(true);
  platform.advance(1);
  assert.equal(
    conn.sent[0],
    '42["a",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]'.replace("42", "452-"),
  );
  assert.deepEqual([...new Uint8Array(conn.sent[1] as ArrayBuffer)], [1]);
  assert.deepEqual([...new Uint8Array(conn.sent[2] as ArrayBuffer)], [2]);
  assert.equal(conn.sent[3], '42["b","text"]');
  assert.equal(conn.sent.length, 4, '"c" waits for its Blob; "d" waits behind it');
  reads[2]!(false);
  assert.deepEqual(conn.sent.slice(4), ['42["d"]']);
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof ClientError);
  assert.equal(errors[0].code, "BLOB_READ_ERROR");
  assert.equal((errors[0].cause as Error).message, "EIO");
  manager.close();
});

test("a close while a Blob is being read: the packet is never written to the next connection", () => {
  const { platform, reads } = blobPlatform();
  const { manager, socket, conn: first } = connected(platform, { reconnectionDelay: 10 });
  socket.emit("late", blob(9));
  first.handlers.onClose(1006, "");
  platform.advance(100);
  const second = platform.connections[1]!;
  second.handlers.onOpen();
  second.handlers.onMessage(HANDSHAKE);
  reads[0]!(true);
  platform.advance(1);
  assert.deepEqual(second.sent, ["40"]);
  manager.close();
});

test("blobs nested in arrays and plain objects are found; the user's objects are not modified", () => {
  const { platform, reads } = blobPlatform();
  const { manager, socket, conn } = connected(platform);
  conn.sent.length = 0;
  const when = new Date(0);
  const payload = { list: [blob(5), { deep: blob(6) }], when, ["__proto__"]: 1 };
  socket.emit("nested", payload);
  assert.equal(reads.length, 2);
  reads[0]!(true);
  reads[1]!(true);
  platform.advance(1);
  assert.equal(
    conn.sent[0],
    '452-["nested",{"list":[{"_placeholder":true,"num":0},{"deep":{"_placeholder":true,"num":1}}],"when":"1970-01-01T00:00:00.000Z","__proto__":1}]',
  );
  assert.deepEqual(
    conn.sent.slice(1).map((b) => [...new Uint8Array(b as ArrayBuffer)]),
    [[5], [6]],
  );
  assert.ok(payload.list[0] instanceof HostBlob, "the emitted object still holds the blob");
  assert.equal(payload.when, when);
  manager.close();
});
