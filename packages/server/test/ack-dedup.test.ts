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
import { AckCache, ACK_DEDUP_DEFAULTS, type ServerOptions } from "@omnio/server";
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
