/** The bounded send buffer: overflow by policy (count and bytes), expiry, typed errors for dropped acks. */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { ClientError, SEND_BUFFER_DEFAULTS, type SendBufferOptions } from "@omnio/client";
import { io } from "@omnio/client/node";
import { SERVER_KINDS, once, sleep } from "./support/servers.js";
import { startSio, until, type SioTestServer } from "./support/sio.js";

/** A server recording every `n` event (acking it), and a client that is not connected yet. */
async function setup(
  kind: (typeof SERVER_KINDS)[number],
  sendBuffer: SendBufferOptions,
): Promise<{ srv: SioTestServer; received: unknown[]; socket: ReturnType<typeof io> }> {
  const srv = await startSio(kind);
  const received: unknown[] = [];
  srv.io.on("connection", (s: any) =>
    s.on("n", (n: unknown, ack?: (v: unknown) => void) => {
      received.push(n);
      ack?.(n);
    }),
  );
  const socket = io(srv.url, { transports: ["websocket"], autoConnect: false, reconnection: false, sendBuffer });
  return { srv, received, socket };
}

/** Collects what each ack callback got. */
function acks(): { got: Map<number, unknown>; cb: (n: number) => (e: unknown) => void } {
  const got = new Map<number, unknown>();
  return { got, cb: (n) => (e: unknown) => got.set(n, e) };
}

for (const kind of SERVER_KINDS) {
  describe(`send buffer [${kind}]`, () => {
    test('"drop-oldest" (default): the oldest leave; their acks get SEND_BUFFER_OVERFLOW', async () => {
      const { srv, received, socket } = await setup(kind, { maxPackets: 3 });
      try {
        const { got, cb } = acks();
        for (let n = 0; n < 5; n++) socket.emit("n", n, cb(n));
        assert.equal(got.size, 2);
        for (const n of [0, 1]) {
          const err = got.get(n) as ClientError;
          assert.ok(err instanceof ClientError);
          assert.equal(err.code, "SEND_BUFFER_OVERFLOW");
          assert.equal(err.message, "send buffer overflow");
        }
        socket.connect();
        await until(() => received.length === 3, 3000, "3 events");
        assert.deepEqual(received, [2, 3, 4]);
        await until(() => got.size === 5, 3000, "acks");
        assert.deepEqual(
          [2, 3, 4].map((n) => got.get(n)),
          [2, 3, 4],
        );
        socket.disconnect();
      } finally {
        await srv.close();
      }
    });

    test('"drop-newest": new packets are dropped; emitWithAck rejects with the code', async () => {
      const { srv, received, socket } = await setup(kind, { maxPackets: 3, policy: "drop-newest" });
      try {
        for (let n = 0; n < 3; n++) socket.emit("n", n);
        await assert.rejects(socket.emitWithAck("n", 3), { name: "ClientError", code: "SEND_BUFFER_OVERFLOW" });
        const [err] = await new Promise<[ClientError]>((resolve) =>
          socket.timeout(5000).emit("n", 4, (e: ClientError) => resolve([e])),
        );
        assert.equal(err.code, "SEND_BUFFER_OVERFLOW");
        socket.connect();
        await until(() => received.length === 3, 3000, "3 events");
        await sleep(30);
        assert.deepEqual(received, [0, 1, 2]);
        socket.disconnect();
      } finally {
        await srv.close();
      }
    });

    test('"error": emit throws SEND_BUFFER_OVERFLOW and nothing changes', async () => {
      const { srv, received, socket } = await setup(kind, { maxPackets: 2, policy: "error" });
      try {
        socket.emit("n", 0);
        socket.emit("n", 1);
        assert.throws(() => socket.emit("n", 2), { name: "ClientError", code: "SEND_BUFFER_OVERFLOW" });
        assert.throws(() => socket.emit("n", 3, () => {}), { code: "SEND_BUFFER_OVERFLOW" });
        await assert.rejects(socket.emitWithAck("n", 4), { code: "SEND_BUFFER_OVERFLOW" });
        socket.connect();
        await until(() => received.length === 2, 3000, "2 events");
        await sleep(30);
        assert.deepEqual(received, [0, 1]);
        // Connected: no limit applies to direct sends.
        socket.emit("n", 5);
        await until(() => received.length === 3, 3000, "live event");
        socket.disconnect();
      } finally {
        await srv.close();
      }
    });

    test("maxBytes counts encoded bytes; a packet larger than maxBytes alone is always dropped", async () => {
      const { srv, received, socket } = await setup(kind, { maxBytes: 100 });
      try {
        const { got, cb } = acks();
        const text = "é".repeat(20); // 40 UTF-8 bytes
        socket.emit("n", `a${text}`, cb(0));
        socket.emit("n", `b${text}`, cb(1)); // ~2 × 55 bytes > 100: "a" leaves
        assert.equal((got.get(0) as ClientError).code, "SEND_BUFFER_OVERFLOW");
        assert.equal(got.has(1), false);
        socket.emit("n", "x".repeat(200), cb(2)); // alone over the limit
        assert.equal((got.get(2) as ClientError).code, "SEND_BUFFER_OVERFLOW");
        socket.emit("n", new Uint8Array(150), cb(3)); // binary attachments count too
        assert.equal((got.get(3) as ClientError).code, "SEND_BUFFER_OVERFLOW");
        socket.connect();
        await until(() => received.length === 1, 3000, "1 event");
        await sleep(30);
        assert.deepEqual(received, [`b${text}`]);
        socket.disconnect();
      } finally {
        await srv.close();
      }
    });

    test("maxAge: expired packets are never sent and their acks get SEND_BUFFER_EXPIRED", async () => {
      const { srv, received, socket } = await setup(
        kind,
        { maxAge: 400 } /* room for a slow connect on a loaded machine */,
      );
      try {
        const { got, cb } = acks();
        socket.emit("n", "old", cb(0));
        await sleep(500);
        socket.emit("n", "fresh", cb(1)); // adding prunes the expired one
        const err = got.get(0) as ClientError;
        assert.equal(err.code, "SEND_BUFFER_EXPIRED");
        assert.equal(err.message, "packet expired in the send buffer");
        socket.emit("n", "stale-at-flush", cb(2));
        await sleep(500);
        socket.emit("n", "last");
        // "fresh" and "stale-at-flush" expired too by now (pruned when "last" was added).
        socket.connect();
        await once(socket, "connect");
        await until(() => received.length === 1, 3000, "1 event");
        await sleep(30);
        assert.deepEqual(received, ["last"]);
        assert.equal((got.get(1) as ClientError).code, "SEND_BUFFER_EXPIRED");
        assert.equal((got.get(2) as ClientError).code, "SEND_BUFFER_EXPIRED");
        socket.disconnect();
      } finally {
        await srv.close();
      }
    });

    test("maxAge is also checked at flush; an ack timeout removes a buffered packet at once", async () => {
      const { srv, received, socket } = await setup(kind, { maxAge: 60 });
      try {
        const { got, cb } = acks();
        socket.emit("n", "expires", cb(0));
        socket.timeout(20).emit("n", "times-out", cb(1));
        await sleep(100);
        assert.equal((got.get(1) as ClientError).code, "ACK_TIMEOUT");
        assert.equal(got.has(0), false); // lazily checked: not yet
        socket.connect();
        await once(socket, "connect");
        assert.equal((got.get(0) as ClientError).code, "SEND_BUFFER_EXPIRED");
        socket.emit("n", "live");
        await until(() => received.length === 1, 3000, "live event");
        assert.deepEqual(received, ["live"]);
        socket.disconnect();
      } finally {
        await srv.close();
      }
    });
  });
}

describe("send buffer options", () => {
  test("documented defaults; invalid values throw a TypeError", () => {
    assert.deepEqual(
      { ...SEND_BUFFER_DEFAULTS },
      {
        maxPackets: 1000,
        maxBytes: 1_048_576,
        policy: "drop-oldest",
        maxAge: Infinity,
      },
    );
    assert.ok(Object.isFrozen(SEND_BUFFER_DEFAULTS));
    const opts = { transports: ["websocket" as const], autoConnect: false };
    assert.throws(() => io("http://127.0.0.1:1", { ...opts, sendBuffer: { maxPackets: -1 } }), TypeError);
    assert.throws(() => io("http://127.0.0.1:1", { ...opts, sendBuffer: { policy: "nope" as never } }), TypeError);
    assert.throws(() => io("http://127.0.0.1:1", { ...opts, retries: -1 }), TypeError);
  });

  test("a Blob counts its size against maxBytes (it is read only when written)", () => {
    const socket = io("http://127.0.0.1:1", {
      transports: ["websocket"],
      autoConnect: false,
      // Each packet below is ~41 bytes of text plus its Blob.
      sendBuffer: { maxBytes: 150 },
    });
    const { got, cb } = acks();
    // Larger than maxBytes alone: dropped at once.
    socket.emit("n", 0, new Blob([new Uint8Array(200)]), cb(0));
    assert.equal((got.get(0) as ClientError).code, "SEND_BUFFER_OVERFLOW");
    // Two of 60 bytes do not fit together: the oldest leaves ("drop-oldest").
    socket.emit("n", 1, new Blob([new Uint8Array(60)]), cb(1));
    assert.equal(got.size, 1);
    socket.emit("n", 2, new Blob([new Uint8Array(60)]), cb(2));
    assert.equal((got.get(1) as ClientError).code, "SEND_BUFFER_OVERFLOW");
    assert.equal(got.has(2), false);
  });

  test("the default limit (1000 packets) is on", () => {
    const socket = io("http://127.0.0.1:1", { transports: ["websocket"], autoConnect: false });
    const { got, cb } = acks();
    for (let n = 0; n < 1001; n++) socket.emit("n", n, n === 0 ? cb(0) : undefined);
    assert.equal((got.get(0) as ClientError).code, "SEND_BUFFER_OVERFLOW");
  });
});
