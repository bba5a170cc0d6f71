/**
 * Three omnio nodes as separate processes behind a per-request round-robin proxy (no
 * stickiness). With forwarding, socket.io-client 4.8.4 and the omnio client, polling-only
 * and upgrading, stay connected and exchange events; a SIGKILLed node's clients reconnect
 * to the others. Without forwarding (the counter-case), round-robin polling fails.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { ownerOf } from "@omnio/cluster";
import { connectClient, engineId, exercise, transportName, waitFor, type TestSocket } from "./support/clients.js";
import { startNodes, type NodeProcess } from "./support/nodes.js";
import { startRoundRobinProxy, type RoundRobinProxy } from "./support/round-robin-proxy.js";

const NODE_SCRIPT = new URL("./fixtures/forwarding-node.js", import.meta.url).pathname;
const EXCHANGE_MS = Number(process.env["CLUSTER_EXCHANGE_MS"] ?? 6000);

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function cluster(forward: boolean): Promise<{ nodes: NodeProcess[]; proxy: RoundRobinProxy }> {
  const nodes = await startNodes(NODE_SCRIPT, ["a", "b", "c"], { FORWARD: forward ? "1" : "0" });
  cleanups.push(() => Promise.all(nodes.map((n) => n.kill())).then(() => undefined));
  const proxy = await startRoundRobinProxy(nodes.map((n) => n.port));
  cleanups.push(() => proxy.close());
  return { nodes, proxy };
}

function track(socket: TestSocket): TestSocket {
  cleanups.push(() => void socket.disconnect());
  return socket;
}

async function stats(node: NodeProcess): Promise<{ forwardedRequests: number; forwardedUpgrades: number }> {
  const res = await fetch(`${node.url}/stats`);
  return ((await res.json()) as { stats: { forwardedRequests: number; forwardedUpgrades: number } }).stats;
}

test("counter-case: without forwarding, round-robin polling fails with 'Session ID unknown'", async () => {
  const { proxy } = await cluster(false);
  const socket = track(connectClient("socket.io-client", "polling", `http://127.0.0.1:${proxy.port}`));
  const errors: string[] = [];
  socket.on("connect_error", (e: Error) => errors.push(e.message));
  socket.on("disconnect", (r: string) => errors.push(r));
  // The handshake lands on one node, the next request on another one, which answers 400.
  await waitFor(() => errors.length > 0, 10000, "a failure");
  assert.ok(proxy.badRequests.count > 0, "a 400 went through the proxy");
  socket.disconnect();
});

test("with forwarding, both clients in polling-only and upgrade modes stay connected through round robin", async () => {
  const { nodes, proxy } = await cluster(true);
  const url = `http://127.0.0.1:${proxy.port}`;
  const sockets = (["socket.io-client", "omnio"] as const).flatMap((kind) =>
    (["polling", "upgrade"] as const).map((mode) => ({ kind, mode, socket: track(connectClient(kind, mode, url)) })),
  );
  await waitFor(() => sockets.every((s) => s.socket.connected), 10000, "every client connected");
  const results = await Promise.all(sockets.map((s) => exercise(s.socket, EXCHANGE_MS)));
  for (const [i, r] of results.entries()) {
    const { kind, mode, socket } = sockets[i]!;
    const label = `${kind} ${mode}`;
    assert.deepEqual(r.errors, [], label);
    assert.deepEqual(r.disconnects, [], label);
    // Every echo was answered; liveness bounds are loose (a loaded machine sends fewer).
    assert.equal(r.acks, r.sent, label);
    assert.ok(r.sent >= EXCHANGE_MS / 400, `${label}: ${r.sent} sent`);
    assert.ok(r.ticks >= EXCHANGE_MS / 800, `${label}: ${r.ticks} ticks`);
    assert.equal(transportName(socket), mode === "polling" ? "polling" : "websocket", label);
    assert.ok(["a", "b", "c"].includes(ownerOf(engineId(socket)) ?? ""), label);
  }
  const all = await Promise.all(nodes.map(stats));
  const forwarded = all.reduce((n, s) => n + s.forwardedRequests, 0);
  // Two of every three polling requests reach a node that does not own the session.
  assert.ok(forwarded > 50, `forwarded ${forwarded} requests`);
  assert.ok(
    proxy.hits.every((h) => h > 20),
    `proxy hits ${proxy.hits.join(",")}`,
  );
  assert.equal(proxy.badRequests.count, 0, "no 400 (Session ID unknown) went through the proxy");
});

test("a SIGKILLed node's clients reconnect through the proxy to the other nodes", async () => {
  const { nodes, proxy } = await cluster(true);
  const url = `http://127.0.0.1:${proxy.port}`;
  const sockets: TestSocket[] = [];
  for (let i = 0; i < 6; i++) {
    sockets.push(track(connectClient(i % 2 ? "omnio" : "socket.io-client", i % 3 ? "polling" : "upgrade", url)));
  }
  await waitFor(() => sockets.every((s) => s.connected), 10000, "every client connected");
  const victim = ownerOf(engineId(sockets[0]!))!;
  const orphans = sockets.filter((s) => ownerOf(engineId(s)) === victim);
  const reconnected = new Set<TestSocket>();
  for (const s of orphans) s.on("connect", () => reconnected.add(s));
  await nodes.find((n) => n.id === victim)!.kill();
  await waitFor(() => reconnected.size === orphans.length, 15000, "the orphans reconnected");
  await waitFor(() => sockets.every((s) => s.connected), 10000, "every client connected again");
  for (const s of sockets) assert.notEqual(ownerOf(engineId(s)), victim);
  // And they keep working.
  const results = await Promise.all(sockets.map((s) => exercise(s, 1500)));
  for (const r of results) {
    assert.deepEqual(r.errors, []);
    assert.ok(r.acks === r.sent && r.sent >= 3, `${r.acks}/${r.sent} acks`);
  }
});
