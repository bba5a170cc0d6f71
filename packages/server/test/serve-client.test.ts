/** serveClient: the server answers `<path>/omnio.min.js` (and socket.io's script names) with @omnio/client's bundle. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createContext, runInContext } from "node:vm";
import { gunzipSync } from "node:zlib";
import { startServer, type TestServer } from "./support/servers.js";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw GET (no automatic decompression, unlike fetch). */
function get(srv: TestServer, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: srv.port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

const clientPkgFile = createRequire(import.meta.url).resolve("@omnio/client/package.json");
const clientVersion = (JSON.parse(readFileSync(clientPkgFile, "utf8")) as { version: string }).version;
const bundle = readFileSync(join(dirname(clientPkgFile), "dist", "bundle", "omnio.min.js"));

async function withServer(
  opts: Parameters<typeof startServer>[0],
  fn: (srv: TestServer) => Promise<void>,
): Promise<void> {
  const srv = await startServer(opts);
  try {
    await fn(srv);
  } finally {
    await srv.close();
  }
}

for (const name of ["omnio.min.js", "socket.io.js", "socket.io.min.js"]) {
  test(`GET /socket.io/${name} answers 200 with the bundle and caching headers`, () =>
    withServer({}, async (srv) => {
      const res = await get(srv, `/socket.io/${name}?v=1`);
      assert.equal(res.status, 200);
      assert.equal(res.headers["content-type"], "application/javascript; charset=utf-8");
      assert.equal(res.headers["cache-control"], "public, max-age=0");
      assert.equal(res.headers.etag, `"${clientVersion}"`);
      assert.equal(res.headers["content-encoding"], undefined);
      assert.deepEqual(res.body, bundle);
    }));
}

test("the source map is served next to the bundle", () =>
  withServer({}, async (srv) => {
    for (const name of ["omnio.min.js.map", "socket.io.min.js.map"]) {
      const res = await get(srv, `/socket.io/${name}`);
      assert.equal(res.status, 200, name);
      assert.equal((JSON.parse(res.body.toString()) as { version: number }).version, 3);
    }
  }));

test("a matching If-None-Match (strong, weak or in a list) answers 304 with no body", () =>
  withServer({}, async (srv) => {
    for (const tag of [`"${clientVersion}"`, `W/"${clientVersion}"`, `"old", "${clientVersion}"`]) {
      const res = await get(srv, "/socket.io/socket.io.js", { "If-None-Match": tag });
      assert.equal(res.status, 304, tag);
      assert.equal(res.headers.etag, `"${clientVersion}"`);
      assert.equal(res.body.length, 0);
    }
    const stale = await get(srv, "/socket.io/socket.io.js", { "If-None-Match": '"0.0.0-old"' });
    assert.equal(stale.status, 200);
  }));

test("gzip when the client accepts it", () =>
  withServer({}, async (srv) => {
    const res = await get(srv, "/socket.io/omnio.min.js", { "Accept-Encoding": "br, gzip, deflate" });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-encoding"], "gzip");
    assert.equal(res.headers.vary, "Accept-Encoding");
    assert.ok(res.body.length < bundle.length);
    assert.deepEqual(gunzipSync(res.body), bundle);
  }));

test("serveClient: false serves nothing: the path goes to the engine as before", () =>
  withServer({ serveClient: false }, async (srv) => {
    const res = await get(srv, "/socket.io/socket.io.js");
    assert.equal(res.status, 400);
    assert.notDeepEqual(res.body, bundle);
  }));

test("other paths under <path>/ still reach the engine; a custom path serves under itself", async () => {
  await withServer({}, async (srv) => {
    const res = await get(srv, "/socket.io/other.js");
    assert.equal(res.status, 400);
    const handshake = await get(srv, "/socket.io/?EIO=4&transport=polling");
    assert.equal(handshake.status, 200);
    assert.match(handshake.body.toString(), /^0\{"sid"/);
  });
  await withServer({ path: "/rt/" }, async (srv) => {
    assert.equal((await get(srv, "/rt/omnio.min.js")).status, 200);
  });
});

test("the served script defines io and omnio in a browser-like context and opens a WebSocket", () =>
  withServer({}, async (srv) => {
    const res = await get(srv, "/socket.io/socket.io.js");
    const opened: string[] = [];
    class FakeWebSocket {
      binaryType = "blob";
      readyState = 0;
      constructor(url: string) {
        opened.push(url);
      }
      addEventListener(): void {}
      removeEventListener(): void {}
      send(): void {}
      close(): void {}
    }
    const context = createContext({
      WebSocket: FakeWebSocket,
      location: { protocol: "http:", host: "example.test", href: "http://example.test/" },
      setTimeout,
      clearTimeout,
    });
    runInContext(res.body.toString(), context, { filename: "socket.io.js" });
    const g = context as { io?: unknown; omnio?: { io?: unknown; Manager?: unknown } };
    assert.equal(typeof g.io, "function");
    assert.equal(g.omnio?.io, g.io);
    assert.equal(typeof g.omnio?.Manager, "function");
    const socket = (g.io as (o: object) => { connected: boolean; disconnect(): void })({ transports: ["websocket"] });
    assert.equal(socket.connected, false);
    assert.equal(opened.length, 1);
    assert.match(opened[0] ?? "", /^ws:\/\/example\.test\/socket\.io\/\?EIO=4&transport=websocket/);
    socket.disconnect();
  }));
