/**
 * Retry deduplication (`ackDedup`): a packet resent with the same ack scope (CONNECT `auth`) and
 * ack id is answered from the server's bounded ack cache instead of reaching the handler again.
 * Driven by the official socket.io-client, which lets a test choose the scope and restarts ack
 * ids at 0 on each new socket: two sockets with one scope therefore send "the same" packet.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Socket as ClientSocket } from "socket.io-client";
import { ACK_DEDUP_AUTH_KEY } from "@omnio/protocol";
import { AckCache, ACK_DEDUP_DEFAULTS, MAX_WAITERS, estimateBytes, type ServerOptions } from "@omnio/server";
import { AGAINST_REFERENCE, startInterop, until, type InteropServer } from "./support/interop.js";

type Ack = (...args: unknown[]) => void;

function ask(client: ClientSocket, ev: string, ...args: unknown[]): Promise<unknown[]> {
  return new Promise((resolve) => client.emit(ev, ...args, (...answer: unknown[]) => resolve(answer)));
}

async function withServer(
  opts: ServerOptions,
  fn: (srv: InteropServer, calls: unknown[]) => Promise<void>,
): Promise<void> {
  const srv = await startInterop(opts);
  const calls: unknown[] = [];
  srv.io.on("connection", (socket) => {
    socket.on("work", (n: unknown, ack: Ack) => {
      calls.push(n);
      ack("done", n);
    });
  });
  try {
    await fn(srv, calls);
  } finally {
    await srv.close();
  }
}

const scoped = (scope: string): { auth: Record<string, string> } => ({ auth: { [ACK_DEDUP_AUTH_KEY]: scope } });

describe("ack cache (unit)", () => {
  test("bounded: never more than maxEntries, the oldest leaves first", () => {
    const cache = new AckCache({ maxEntries: 3 });
    const replies: unknown[][] = [];
    for (let i = 0; i < 5; i++)
      assert.equal(
        cache.begin(`k${i}`, (a) => replies.push(a)),
        true,
      );
    assert.equal(cache.size, 3);
    // k0 and k1 were evicted: first sight again; k4 is a resend.
    assert.equal(
      cache.begin("k4", (a) => replies.push(a)),
      false,
    );
    cache.settle("k4", ["late"]);
    assert.deepEqual(replies.slice(), [["late"]]);
    assert.equal(
      cache.begin("k4", (a) => replies.push(a)),
      false,
    );
    assert.deepEqual(replies.slice(), [["late"], ["late"]]);
    assert.equal(
      cache.begin("k0", () => {}),
      true,
    );
    assert.equal(cache.size, 3);
    for (let i = 0; i < 10_000; i++) cache.begin(`m${i}`, () => {});
    assert.equal(cache.size, 3);
  });

  test("abandon forgets an unanswered entry only; maxEntries 0 stores nothing; defaults", () => {
    const cache = new AckCache({ maxEntries: 4 });
    cache.begin("a", () => {});
    cache.abandon("a");
    assert.equal(cache.size, 0);
    cache.begin("b", () => {});
    cache.settle("b", [1]);
    cache.abandon("b");
    assert.equal(cache.size, 1);
    const none = new AckCache({ maxEntries: 0 });
    assert.equal(
      none.begin("x", () => {}),
      true,
    );
    assert.equal(
      none.begin("x", () => {}),
      true,
    );
    assert.equal(none.size, 0);
    assert.equal(new AckCache().maxEntries, ACK_DEDUP_DEFAULTS.maxEntries);
    assert.throws(() => new AckCache({ maxEntries: -1 }), TypeError);
  });

  test("bounded by maxBytes: big answers push the oldest out; an answer over maxBytes alone is sent, not kept", () => {
    assert.equal(new AckCache().maxBytes, 1024 * 1024);
    assert.equal(ACK_DEDUP_DEFAULTS.maxBytes, 1024 * 1024);
    assert.throws(() => new AckCache({ maxBytes: -1 }), TypeError);
    const cache = new AckCache({ maxBytes: 1000 });
    const answer: unknown[] = ["x".repeat(300)];
    for (const key of ["a", "b", "c", "d"]) {
      cache.begin(key, () => {});
      cache.settle(key, answer);
      assert.ok(cache.bytes <= 1000, `${cache.bytes} bytes`);
    }
    assert.ok(cache.size < 4 && cache.size >= 2, `size ${cache.size}`);
    const resent: unknown[][] = [];
    assert.equal(
      cache.begin("a", (a) => resent.push(a)),
      true,
      "the oldest left",
    );
    assert.equal(
      cache.begin("d", (a) => resent.push(a)),
      false,
      "the newest stays",
    );
    assert.deepEqual(resent, [answer] as unknown[][]);
    // Over the limit alone: the resend that waited gets it, nothing is kept.
    const big = new AckCache({ maxBytes: 1000 });
    big.begin("k", () => {});
    big.begin("k", (a) => resent.push(a));
    big.settle("k", [new Uint8Array(2000)]);
    assert.equal((resent[1]![0] as Uint8Array).byteLength, 2000);
    assert.equal(big.size, 0);
    assert.equal(big.bytes, 0);
    assert.equal(
      big.begin("k", () => {}),
      true,
    );
  });

  test("pendingTtl: a handler that never acks is run again by a resend after the TTL; waiters are bounded", () => {
    let now = 0;
    const cache = new AckCache({ pendingTtl: 1000, now: () => now });
    assert.equal(new AckCache().pendingTtl, 60_000);
    assert.throws(() => new AckCache({ pendingTtl: 0 }), TypeError);
    const replies: unknown[][] = [];
    assert.equal(
      cache.begin("k", () => {}),
      true,
    );
    for (let i = 0; i < MAX_WAITERS + 5; i++) {
      now += 10;
      assert.equal(
        cache.begin("k", (a) => replies.push([i, ...a])),
        false,
        "still pending: the resend waits",
      );
    }
    now = 1000;
    assert.equal(
      cache.begin("k", () => {}),
      true,
      "expired: the handler runs again",
    );
    assert.equal(cache.size, 1);
    cache.settle("k", ["ok"]);
    assert.equal(replies.length, 0, "waiters of the abandoned run were let go with it");
    // Waiters are capped: only the newest MAX_WAITERS get the answer.
    cache.begin("w", () => {});
    for (let i = 0; i < MAX_WAITERS + 5; i++) cache.begin("w", (a) => replies.push([i, ...a]));
    cache.settle("w", ["done"]);
    assert.equal(replies.length, MAX_WAITERS);
    assert.deepEqual(replies[0], [5, "done"]);
    // A settled entry does not expire: answers are kept until evicted by the bounds.
    now += 10 * 60_000;
    assert.equal(
      cache.begin("w", () => {}),
      false,
    );
  });

  test("estimateBytes counts strings, binary, numbers and keys; a very deep answer counts as over the limit", () => {
    assert.equal(estimateBytes("abc", 1e9), 5);
    assert.equal(estimateBytes(new Uint8Array(100), 1e9), 116);
    assert.equal(estimateBytes([1, "a"], 1e9), 8 + 8 + 3);
    assert.equal(estimateBytes({ ab: true }, 1e9), 8 + 2 + 8 + 8);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    assert.equal(estimateBytes(deep, 500), 501);
  });
});

describe("ack dedup over the wire", { skip: AGAINST_REFERENCE }, () => {
  test("a resend with the same scope and ack id gets the cached answer; the handler runs once", async () => {
    await withServer({}, async (srv, calls) => {
      const a = await srv.connect("/", "websocket", scoped("scope-1"));
      assert.deepEqual(await ask(a, "work", 7), ["done", 7]);
      a.disconnect();
      // A new connection (as after a reconnection), same scope, same ack id 0.
      const b = await srv.connect("/", "websocket", scoped("scope-1"));
      assert.deepEqual(await ask(b, "work", 7), ["done", 7]);
      assert.deepEqual(calls, [7]);
      // The next id is new: the handler runs.
      assert.deepEqual(await ask(b, "work", 8), ["done", 8]);
      assert.deepEqual(calls, [7, 8]);
    });
  });

  test("another scope, no scope, or ackDedup: false → the handler runs each time", async () => {
    await withServer({}, async (srv, calls) => {
      const a = await srv.connect("/", "websocket", scoped("s-a"));
      const b = await srv.connect("/", "websocket", scoped("s-b"));
      const plain1 = await srv.connect("/", "websocket");
      const plain2 = await srv.connect("/", "websocket");
      for (const c of [a, b, plain1, plain2]) await ask(c, "work", 1);
      assert.equal(calls.length, 4);
    });
    await withServer({ ackDedup: false }, async (srv, calls) => {
      const a = await srv.connect("/", "websocket", scoped("s"));
      const b = await srv.connect("/", "websocket", scoped("s"));
      await ask(a, "work", 1);
      await ask(b, "work", 1);
      assert.equal(calls.length, 2);
    });
  });

  test("a resend while the handler still runs gets the answer when it comes", async () => {
    const srv = await startInterop();
    try {
      let calls = 0;
      let release: (() => void) | undefined;
      srv.io.on("connection", (socket) => {
        socket.on("slow", (ack: Ack) => {
          calls++;
          release = () => ack("finally");
        });
      });
      const a = await srv.connect("/", "websocket", scoped("slow-scope"));
      const b = await srv.connect("/", "websocket", scoped("slow-scope"));
      const first = ask(a, "slow");
      await until(() => release !== undefined, "the handler runs");
      const second = ask(b, "slow");
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(calls, 1);
      release!();
      assert.deepEqual(await first, ["finally"]);
      assert.deepEqual(await second, ["finally"]);
      assert.equal(calls, 1);
    } finally {
      await srv.close();
    }
  });

  test("bounded by ackDedup.maxEntries: an evicted entry runs the handler again (at least once)", async () => {
    await withServer({ ackDedup: { maxEntries: 2 } }, async (srv, calls) => {
      const a = await srv.connect("/", "websocket", scoped("bounded"));
      for (const n of [0, 1, 2]) await ask(a, "work", n); // ack ids 0, 1, 2: id 0 is evicted
      const b = await srv.connect("/", "websocket", scoped("bounded"));
      await ask(b, "work", 0); // id 0: evicted → runs
      await ask(b, "work", 1); // id 1: evicted by the previous insert → runs
      const c = await srv.connect("/", "websocket", scoped("bounded"));
      await ask(c, "work", 0); // id 0: cached by b → does not run
      assert.deepEqual(calls, [0, 1, 2, 0, 1]);
    });
  });

  test("bounded by ackDedup.maxBytes: an answer too big to keep makes its resend run the handler again", async () => {
    const srv = await startInterop({ ackDedup: { maxBytes: 4096 } });
    try {
      let calls = 0;
      srv.io.on("connection", (socket) => {
        socket.on("size", (n: number, ack: Ack) => {
          calls++;
          ack("y".repeat(n));
        });
      });
      const a = await srv.connect("/", "websocket", scoped("bytes"));
      await ask(a, "size", 100); // id 0: small, kept
      await ask(a, "size", 10_000); // id 1: over maxBytes, not kept
      const b = await srv.connect("/", "websocket", scoped("bytes"));
      assert.deepEqual(await ask(b, "size", 100), ["y".repeat(100)]); // id 0: cached
      assert.deepEqual(await ask(b, "size", 10_000), ["y".repeat(10_000)]); // id 1: runs again
      assert.equal(calls, 3);
    } finally {
      await srv.close();
    }
  });

  test("a packet refused by a socket middleware is forgotten: its resend runs the handler", async () => {
    const srv = await startInterop();
    try {
      let refuse = true;
      let calls = 0;
      srv.io.on("connection", (socket) => {
        socket.use((_event, next) => (refuse ? next(new Error("not now")) : next()));
        socket.on("error", () => {});
        socket.on("work", (ack: Ack) => {
          calls++;
          ack("ok");
        });
      });
      const a = await srv.connect("/", "websocket", scoped("mw"));
      a.emit("work", () => {});
      await new Promise((r) => setTimeout(r, 50));
      refuse = false;
      const b = await srv.connect("/", "websocket", scoped("mw"));
      assert.deepEqual(await ask(b, "work"), ["ok"]);
      assert.equal(calls, 1);
    } finally {
      await srv.close();
    }
  });
});
