/**
 * Forwarding on the wire, deterministic: two in-process nodes, a handshake on one, then
 * polling requests and a WebSocket upgrade sent straight to the other, which must forward
 * them to the owner. Also: unknown and dead owners, bad markers, no forwarding loops.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from "node:net";
import { after, before, test } from "node:test";
import { Server } from "@omnio/server";
import { enableForwarding, ownerOf, type Forwarding } from "@omnio/cluster";
import { freePort } from "@omnio/testkit";
import { WebSocket } from "ws";

const SECRET = "a-test-secret-of-enough-length";
interface TestNode {
  id: string;
  http: HttpServer;
  io: Server;
  forwarding: Forwarding;
  base: string;
}
const nodes: TestNode[] = [];
let deadPort = 0;
/** A fake owner speaking just enough HTTP/1.1: it drops the 2nd request of its 1st connection. */
const fake = { port: 0, connections: 0, requests: [] as string[], server: undefined as NetServer | undefined };

function startFakeOwner(): Promise<void> {
  const server = createNetServer((socket) => {
    const connection = ++fake.connections;
    let seen = 0;
    let buffer = "";
    socket.on("error", () => undefined);
    socket.on("data", (d: Buffer) => {
      buffer += d.toString("latin1");
      for (;;) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end === -1) return;
        const head = buffer.slice(0, end);
        const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const body = buffer.slice(end + 4, end + 4 + length);
        buffer = buffer.slice(end + 4 + length);
        seen++;
        if (connection === 1 && seen === 2) {
          socket.destroy(); // closed "while idle", as the request arrives
          return;
        }
        fake.requests.push(`${head.split(" ")[0]} ${body}`);
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok`,
        );
      }
    });
  });
  fake.server = server;
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      fake.port = (server.address() as AddressInfo).port;
      resolve();
    }),
  );
}

async function startNode(id: string, port: number, peers: Record<string, string>): Promise<TestNode> {
  const http = createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  const io = new Server(http, { serveClient: false, pingInterval: 5000 });
  io.on("connection", (socket) => {
    socket.on("echo", (x: unknown, ack: (r: unknown) => void) => ack([x, id]));
  });
  const forwarding = enableForwarding(io, { nodeId: id, peers, secret: SECRET });
  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  return { id, http, io, forwarding, base: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

before(async () => {
  const [pa, pb] = [await freePort(), await freePort()];
  deadPort = await freePort();
  await startFakeOwner();
  const peers = {
    fake: `http://127.0.0.1:${fake.port}`,
    a: `http://127.0.0.1:${pa}`,
    b: `http://127.0.0.1:${pb}`,
    dead: `http://127.0.0.1:${deadPort}`,
  };
  nodes.push(await startNode("a", pa, peers), await startNode("b", pb, peers));
});

after(async () => {
  fake.server?.close();
  for (const n of nodes) {
    n.forwarding.disable();
    await n.io.close();
  }
});

const EIO = "/socket.io/?EIO=4&transport=polling";

async function handshake(base: string): Promise<string> {
  const res = await fetch(`${base}${EIO}`);
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return (JSON.parse(text.slice(1)) as { sid: string }).sid;
}

test("session ids name their node", async () => {
  const sid = await handshake(nodes[0]!.base);
  assert.match(sid, /^a\.[A-Za-z0-9_-]{20}$/);
  assert.equal(ownerOf(sid), "a");
});

test("polling GET and POST sent to a non-owner are served by the owner", async () => {
  const [a, b] = [nodes[0]!, nodes[1]!];
  const sid = await handshake(a.base);
  const before = b.forwarding.stats.forwardedRequests;
  // Socket.IO CONNECT to the main namespace, through node b.
  const post = await fetch(`${b.base}${EIO}&sid=${sid}`, { method: "POST", body: "40" });
  assert.equal(post.status, 200);
  assert.equal(await post.text(), "ok");
  const get = await fetch(`${b.base}${EIO}&sid=${sid}`);
  assert.equal(get.status, 200);
  assert.equal(get.headers.get("content-type"), "text/plain; charset=UTF-8");
  assert.match(await get.text(), /^40\{"sid":"[^"]+"\}$/);
  // An event with an ack, sent to b, answered by a (owner) on a long-poll sent to b as well.
  const pending = fetch(`${b.base}${EIO}&sid=${sid}`).then((r) => r.text());
  const emit = await fetch(`${b.base}${EIO}&sid=${sid}`, { method: "POST", body: '421["echo","hi"]' });
  assert.equal(emit.status, 200);
  assert.equal(await pending, '431[["hi","a"]]');
  assert.equal(b.forwarding.stats.forwardedRequests - before, 4);
  assert.equal(a.io.engine.clientsCount >= 1, true);
  assert.equal(b.io.engine.clients.has(sid), false);
});

test("a WebSocket upgrade sent to a non-owner is spliced to the owner", async () => {
  const [a, b] = [nodes[0]!, nodes[1]!];
  const sid = await handshake(a.base);
  await fetch(`${a.base}${EIO}&sid=${sid}`, { method: "POST", body: "40" });
  assert.match(await (await fetch(`${a.base}${EIO}&sid=${sid}`)).text(), /^40/);
  const before = b.forwarding.stats.forwardedUpgrades;
  const ws = new WebSocket(`${b.base.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket&sid=${sid}`);
  const frames: string[] = [];
  const next = (): Promise<string> =>
    new Promise((resolve) => {
      if (frames.length) return resolve(frames.shift()!);
      ws.once("message", () => resolve(frames.shift()!));
    });
  ws.on("message", (d: Buffer) => frames.push(d.toString()));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  ws.send("2probe");
  assert.equal(await next(), "3probe");
  ws.send("5");
  ws.send('422["echo","over ws"]');
  assert.equal(await next(), '432[["over ws","a"]]');
  assert.equal(b.forwarding.stats.forwardedUpgrades - before, 1);
  // Polling is over for this session: a GET through b now gets the owner's 400.
  const late = await fetch(`${b.base}${EIO}&sid=${sid}`);
  assert.equal(late.status, 400);
  ws.close();
});

test("an owner that is down or unknown answers socket.io's 'Session ID unknown'", async () => {
  const b = nodes[1]!;
  const unreachable = b.forwarding.stats.unreachable;
  for (const sid of ["dead.AAAAAAAAAAAAAAAAAAAA", "nobody.AAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAA"]) {
    const res = await fetch(`${b.base}${EIO}&sid=${sid}`);
    assert.equal(res.status, 400, sid);
    assert.deepEqual(await res.json(), { code: 1, message: "Session ID unknown" });
  }
  assert.equal(b.forwarding.stats.unreachable - unreachable, 1); // only "dead" is a known peer
  // The same for an upgrade: the engine's raw 400.
  const ws = new WebSocket(`${b.base.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket&sid=dead.x`);
  const status = await new Promise<number>((resolve) => {
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("error", () => resolve(-1));
  });
  assert.equal(status, 400);
});

function sign(from: string, method: string, url: string): string {
  return `${from};${createHmac("sha256", SECRET).update(`${from}\n${method}\n${url}`).digest("base64url")}`;
}

test("a forged marker is refused; a genuine one is served locally, never forwarded again", async () => {
  const [a, b] = [nodes[0]!, nodes[1]!];
  const sid = await handshake(a.base);
  const url = `${EIO}&sid=${sid}`;
  const forged = await fetch(`${b.base}${url}`, { headers: { "x-omnio-forwarded": "a;bm90IGEgbWFj" } });
  assert.equal(forged.status, 400);
  assert.deepEqual(await forged.json(), { code: 3, message: "Bad request" });
  const badBefore = b.forwarding.stats.badMarkers;
  // Outside the engine path the marker means nothing: the application's routes are untouched.
  const other = await fetch(`${b.base}/elsewhere`, { headers: { "x-omnio-forwarded": "a;bm90IGEgbWFj" } });
  assert.equal(other.status, 404);
  assert.equal(b.forwarding.stats.badMarkers, badBefore);
  // A valid marker for a session b does not own: b must not forward it (loop guard).
  const fwdBefore = b.forwarding.stats.forwardedRequests;
  const genuine = await fetch(`${b.base}${url}`, { headers: { "x-omnio-forwarded": sign("a", "GET", url) } });
  assert.equal(genuine.status, 400);
  assert.deepEqual(await genuine.json(), { code: 1, message: "Session ID unknown" });
  assert.equal(b.forwarding.stats.forwardedRequests, fwdBefore);
  assert.equal(b.forwarding.stats.badMarkers, badBefore);
  // The owner serves genuine marked requests, and the application does not see the marker.
  const seen: unknown[] = [];
  a.io.engine.use((req: { headers: Record<string, unknown> }, _res: unknown, next: () => void) => {
    seen.push(req.headers["x-omnio-forwarded"]);
    next();
  });
  const post = await fetch(`${a.base}${url}`, {
    method: "POST",
    body: "40",
    headers: { "x-omnio-forwarded": sign("b", "POST", url) },
  });
  assert.equal(await post.text(), "ok");
  const served = await fetch(`${a.base}${url}`, { headers: { "x-omnio-forwarded": sign("b", "GET", url) } });
  assert.equal(served.status, 200);
  assert.match(await served.text(), /^40/);
  assert.deepEqual(seen, [undefined, undefined]);
});

test("options are checked with whole-sentence errors", () => {
  const io = new Server({ serveClient: false });
  assert.throws(() => enableForwarding(io, { nodeId: "a", secret: SECRET }), /needs an attached server/);
  const http = createServer();
  const attached = new Server(http, { serveClient: false });
  assert.throws(() => enableForwarding(attached, { nodeId: "a.b", secret: SECRET }), /nodeId must be/);
  assert.throws(() => enableForwarding(attached, { nodeId: "a", secret: "short" }), /at least 16 characters/);
  assert.throws(
    () => enableForwarding(attached, { nodeId: "a", secret: SECRET, peers: { b: "https://x:1" } }),
    /must be an http:\/\/ URL/,
  );
  void attached.close();
  void io.close();
});

test("a request on a pooled connection that the owner closed meanwhile is sent again on a new one", async () => {
  const b = nodes[1]!;
  const url = `${b.base}${EIO}&sid=fake.AAAAAAAAAAAAAAAAAAAA`;
  const first = await fetch(url, { method: "POST", body: "4one" });
  assert.equal(first.status, 200);
  assert.equal(await first.text(), "ok");
  // Same pooled connection: the fake owner drops it as the request arrives.
  const second = await fetch(url, { method: "POST", body: "4two" });
  assert.equal(second.status, 200);
  assert.equal(await second.text(), "ok");
  const third = await fetch(url);
  assert.equal(await third.text(), "ok");
  assert.deepEqual(fake.requests, ["POST 4one", "POST 4two", "GET "]);
  // Pooled, then the one-off retry connection, then pooled again for the GET. Without the
  // retry the second POST would have been answered "Session ID unknown" (400).
  assert.equal(fake.connections, 3);
});
