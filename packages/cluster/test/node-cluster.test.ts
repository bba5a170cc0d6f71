/**
 * node:cluster: a real primary with two workers sharing one port (a child process), the
 * node:cluster adapter between them and forwarding for polling. Clients on different workers
 * see each other's broadcasts, room operations, fetchSockets results, broadcast acks and
 * serverSideEmit answers; polling-only clients work although node:cluster spreads their
 * connections over both workers.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { freePort } from "@omnio/testkit";
import {
  connectClient,
  exercise,
  transportName,
  waitFor,
  type ClientKind,
  type TestSocket,
} from "./support/clients.js";
import { startProcess, stopProcess } from "./support/nodes.js";
import type { ChildProcess } from "node:child_process";

const APP = new URL("./fixtures/cluster-app.js", import.meta.url).pathname;
let app: ChildProcess | undefined;
let url = "";
const sockets: TestSocket[] = [];

function ask<T>(socket: TestSocket, ev: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    socket.timeout(4000).emit(ev, ...args, (err: Error | null, r: T) => (err ? reject(err) : resolve(r)));
  });
}

/** Connected WebSocket-only clients (both kinds), at least two on each worker. */
const byNode = new Map<string, TestSocket[]>();

before(async () => {
  const port = await freePort();
  app = await startProcess(APP, { PORT: String(port), WORKERS: "2" });
  url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 12 && !(byNode.size === 2 && [...byNode.values()].every((l) => l.length >= 2)); i++) {
    const kind: ClientKind = i % 2 ? "omnio" : "socket.io-client";
    // One TCP connection per client, so node:cluster's round robin alternates the workers.
    const socket = connectClient(kind, "websocket", url);
    sockets.push(socket);
    await waitFor(() => socket.connected, 10000, "client connected");
    const node = await ask<string>(socket, "whoami");
    byNode.set(node, [...(byNode.get(node) ?? []), socket]);
  }
  assert.equal(byNode.size, 2, "clients landed on both workers");
});

after(async () => {
  for (const s of sockets) s.disconnect();
  if (app) await stopProcess(app);
});

function pair(): [TestSocket, TestSocket, string, string] {
  const [[n1, l1], [n2, l2]] = [...byNode] as [[string, TestSocket[]], [string, TestSocket[]]];
  return [l1[0]!, l2[0]!, n1, n2];
}

function nextNews(socket: TestSocket, ms = 3000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no news")), ms);
    socket.on("news", function onNews(...args: unknown[]) {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

test("a broadcast from one worker reaches the clients of the other", async () => {
  const [s1, s2, n1] = pair();
  const got = nextNews(s2);
  await ask(s1, "broadcast", null, { hello: "all" });
  assert.deepEqual(await got, [{ hello: "all" }, n1]);
});

test("binary payloads cross workers as binary", async () => {
  const [s1, s2, n1] = pair();
  const got = nextNews(s2);
  await ask(s1, "broadcast", null, Buffer.from([1, 2, 3, 255]));
  const [payload, from] = await got;
  assert.ok(payload instanceof Uint8Array || payload instanceof ArrayBuffer, String(payload));
  assert.deepEqual([...new Uint8Array(payload as ArrayBuffer)], [1, 2, 3, 255]);
  assert.equal(from, n1);
});

test("room membership made from one worker applies on the other; room broadcasts cross workers", async () => {
  const [s1, s2, n1, n2] = pair();
  // s1 (worker 1) makes every socket of worker 2's client s2 … via socketsJoin from s2's own room (its id).
  await ask(s1, "sockets-join", s2.id, "blue");
  const sockets = await ask<Array<{ id: string; node: string; rooms: string[] }>>(s1, "fetch", "blue");
  assert.deepEqual(
    sockets.map((s) => [s.id, s.node]),
    [[s2.id, n2]],
  );
  const got = nextNews(s2);
  await ask(s1, "broadcast", "blue", "to blue");
  assert.deepEqual(await got, ["to blue", n1]);
});

test("fetchSockets returns the sockets of both workers", async () => {
  const [s1] = pair();
  const all = await ask<Array<{ id: string; node: string }>>(s1, "fetch", null);
  assert.deepEqual(all.map((s) => s.id).sort(), sockets.map((s) => s.id).sort());
  assert.deepEqual(new Set(all.map((s) => s.node)), new Set(byNode.keys()));
});

test("broadcast acks come from the clients of every worker", async () => {
  for (const s of sockets) {
    s.on("question", (_from: string, ack: (r: unknown) => void) => ack(`answer from ${s.id}`));
  }
  const [s1] = pair();
  const r = await ask<{ responses?: string[]; error?: string }>(s1, "ask-all");
  assert.equal(r.error, undefined);
  assert.deepEqual(r.responses?.sort(), sockets.map((s) => `answer from ${s.id}`).sort());
});

test("serverSideEmit with ack reaches the other worker; serverCount is 2", async () => {
  const [s1, , n1, n2] = pair();
  const r = await ask<{ responses: string[]; count: number }>(s1, "server-side");
  assert.deepEqual(r, { responses: [n2], count: 2 });
  assert.notEqual(n1, n2);
});

test("disconnectSockets from one worker disconnects a client of the other", async () => {
  const [s1, s2] = pair();
  await ask(s1, "sockets-join", s2.id, "kicked");
  const gone = new Promise<string>((resolve) => s2.on("disconnect", (reason: string) => resolve(reason)));
  await ask(s1, "kick", "kicked");
  assert.equal(await gone, "io server disconnect");
});

test("polling-only and upgrading clients of both kinds work across the workers", async () => {
  const modes = [
    ["socket.io-client", "polling"],
    ["omnio", "polling"],
    ["socket.io-client", "polling"],
    ["omnio", "polling"],
    ["socket.io-client", "upgrade"],
    ["omnio", "upgrade"],
  ] as const;
  const polling = modes.map(([kind, mode]) => connectClient(kind, mode, url));
  sockets.push(...polling);
  await waitFor(() => polling.every((s) => s.connected), 10000, "polling clients connected");
  const results = await Promise.all(polling.map((s) => exercise(s, 3000)));
  for (const r of results) {
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.disconnects, []);
    assert.ok(r.acks === r.sent && r.sent >= 8, `${r.acks}/${r.sent} acks`);
  }
  for (const [i, [, mode]] of modes.entries()) {
    assert.equal(transportName(polling[i]!), mode === "polling" ? "polling" : "websocket");
  }
  // node:cluster gave some of their requests to the worker that does not own the session.
  const stats = await Promise.all(
    [...byNode.values()].map((l) => ask<{ forwardedRequests: number }>(l.find((s) => s.connected) ?? l[1]!, "stats")),
  );
  assert.ok(
    stats.reduce((n, s) => n + s.forwardedRequests, 0) > 10,
    `forwarded: ${stats.map((s) => s.forwardedRequests).join(",")}`,
  );
});

test("a worker that dies leaves the cluster: requests stop waiting for it", async () => {
  const [s1, , n1, n2] = pair();
  const victim = byNode.get(n2)!.find((s) => s.connected)!;
  victim.emit("die");
  const start = Date.now();
  // serverCount drops to 1 once the primary saw the exit; until then requests may time out (2 s).
  let r = await ask<{ responses: string[]; count: number }>(s1, "server-side").catch(() => undefined);
  while (r?.count !== 1 && Date.now() - start < 8000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    r = await ask<{ responses: string[]; count: number }>(s1, "server-side").catch(() => undefined);
  }
  assert.deepEqual(r, { responses: [], count: 1 });
  const all = await ask<Array<{ node: string }>>(s1, "fetch", null);
  assert.ok(all.length > 0);
  assert.deepEqual(new Set(all.map((s) => s.node)), new Set([n1]));
});
