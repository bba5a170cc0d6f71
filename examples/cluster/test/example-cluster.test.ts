/**
 * The example as shipped: real nginx (Debian) with the generated round-robin config in front
 * of three node processes and a real redis-server. socket.io-client 4.8.4 and the omnio
 * client, polling-only and upgrading, connect through nginx, land on different nodes, and
 * every client receives every other client's chat messages (forwarding for the session,
 * Redis for the broadcasts) with no error and no disconnect.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { startExampleCluster, type ExampleCluster } from "@omnio/example-cluster";
import { io as omnioIo } from "@omnio/client/node";
import { requireProgram } from "@omnio/testkit";
import { io as sioIo } from "socket.io-client";

const nginx = requireProgram(
  { name: "nginx", install: "apt-get install -y nginx", what: "The examples/cluster test (nginx round robin)" },
  ["/usr/sbin"],
);
const redis = requireProgram({
  name: "redis-server",
  install: "apt-get install -y redis-server",
  what: "The examples/cluster test (Redis adapter)",
});
const skip = nginx.skip ?? redis.skip ?? false;

interface Client {
  label: string;
  socket: {
    connected: boolean;
    id: string | undefined;
    on(ev: string, fn: (...a: any[]) => void): unknown;
    emit(ev: string, ...a: unknown[]): unknown;
    disconnect(): unknown;
    io: { engine?: { transport?: unknown } };
  };
  welcome?: { node: string };
  chats: Array<{ text: string; node: string }>;
  problems: string[];
}

let cluster: ExampleCluster;
const clients: Client[] = [];

before(async () => {
  if (skip) return;
  cluster = await startExampleCluster({ nginx: nginx.path!, redisServer: redis.path! });
});

after(async () => {
  for (const c of clients) c.socket.disconnect();
  await cluster?.close();
});

function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (cond()) resolve();
      else if (Date.now() > end) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 25);
    };
    tick();
  });
}

test("the generated nginx config is plain round robin (no ip_hash, no sticky)", { skip }, () => {
  const conf = readFileSync(cluster.nginxConf, "utf8").replace(/#.*$/gm, "");
  assert.match(conf, /upstream omnio \{\n(\s+server 127\.0\.0\.1:\d+;\n){3}\s+\}/);
  assert.doesNotMatch(conf, /ip_hash|sticky|hash \$/);
});

test("polling-only and upgrading clients work through nginx and see each other's messages", { skip }, async () => {
  const kinds = [
    ["socket.io-client", "polling"],
    ["socket.io-client", "upgrade"],
    ["omnio", "polling"],
    ["omnio", "upgrade"],
    ["socket.io-client", "polling"],
    ["omnio", "polling"],
  ] as const;
  for (const [kind, mode] of kinds) {
    const opts = { forceNew: true, transports: mode === "polling" ? ["polling"] : ["polling", "websocket"] };
    const socket = (
      kind === "omnio" ? omnioIo(cluster.url, opts as never) : sioIo(cluster.url, opts as never)
    ) as Client["socket"];
    const client: Client = { label: `${kind} ${mode}`, socket, chats: [], problems: [] };
    socket.on("welcome", (w: { node: string }) => (client.welcome = w));
    socket.on("chat", (m: { text: string; node: string }) => client.chats.push(m));
    socket.on("connect_error", (e: Error) => client.problems.push(`connect_error ${e.message}`));
    socket.on("disconnect", (r: string) => client.problems.push(`disconnect ${r}`));
    clients.push(client);
  }
  await waitFor(() => clients.every((c) => c.welcome !== undefined), 15000, "every client welcomed");
  // nginx spread the handshakes: the sessions live on more than one node.
  const owners = new Set(clients.map((c) => c.welcome!.node));
  assert.ok(owners.size >= 2, `sessions on ${[...owners].join(",")}`);

  const ROUNDS = 10;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, c] of clients.entries()) c.socket.emit("chat", `m${round}-${i}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const expected = ROUNDS * clients.length;
  await waitFor(() => clients.every((c) => c.chats.length >= expected), 15000, "every chat delivered everywhere");
  for (const c of clients) {
    assert.deepEqual(c.problems, [], c.label);
    assert.equal(c.chats.length, expected, c.label);
    // Messages from clients owned by other nodes arrived (through Redis).
    assert.ok(new Set(c.chats.map((m) => m.node)).size >= 2, c.label);
    const t = c.socket.io.engine?.transport;
    const transport = typeof t === "string" ? t : (t as { name: string }).name;
    assert.equal(transport, c.label.endsWith("polling") ? "polling" : "websocket", c.label);
  }
  // The nodes forwarded requests that nginx sent to a non-owner.
  const stats = await Promise.all(
    cluster.nodes.map(
      async (n) => ((await (await fetch(`${n.url}/node`)).json()) as { stats: { forwardedRequests: number } }).stats,
    ),
  );
  assert.ok(stats.reduce((s, x) => s + x.forwardedRequests, 0) > 20, JSON.stringify(stats));
});

test("the nodes found each other through Redis (no peer list given)", { skip }, async () => {
  // Each node re-reads the registry every ttl / 3 (10 s / 3): within that, every table is complete.
  const tables = async (): Promise<Array<Record<string, string>>> =>
    Promise.all(
      cluster.nodes.map(
        async (n) => ((await (await fetch(`${n.url}/node`)).json()) as { peers: Record<string, string> }).peers,
      ),
    );
  const expected = cluster.nodes.map((n) =>
    Object.fromEntries(cluster.nodes.filter((m) => m !== n).map((m) => [m.id, m.url])),
  );
  const end = Date.now() + 5000;
  let seen = await tables();
  const same = (x: Array<Record<string, string>>, y: Array<Record<string, string>>): boolean =>
    JSON.stringify(x.map((t) => Object.entries(t).sort())) === JSON.stringify(y.map((t) => Object.entries(t).sort()));
  while (!same(seen, expected) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    seen = await tables();
  }
  assert.deepEqual(seen, expected);
});

test("the page is served through nginx", { skip }, async () => {
  const res = await fetch(cluster.url);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /omnio cluster/);
  const script = await fetch(`${cluster.url}/socket.io/socket.io.js`);
  assert.equal(script.status, 200);
});
