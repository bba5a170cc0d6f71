/**
 * Legacy clients (reference §2.2 Engine.IO v3, §2.4 Socket.IO protocol v4): the official
 * `socket.io-client` 2.5.0 (installed as `socket.io-client-v2`) against omnio with
 * `allowEIO3: true`, over long-polling, WebSocket, and polling upgraded to WebSocket.
 *
 * In Node the 2.x client polls in base64 (`b64=1`: its `xmlhttprequest-ssl` has no
 * `responseType`, so engine.io-client 3.5 turns binary support off), so the binary
 * `application/octet-stream` payloads a browser's 2.x client uses are exercised with raw
 * requests shaped like that client's XHRs.
 *
 * Set `INTEROP_REFERENCE=1` to run the same tests against the official `socket.io` server.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { createServer, type Server as HttpServer } from "node:http";
import { Server, type ServerOptions, type Socket as ServerSocket } from "@omnio/server";
import { listen } from "./support/attach.js";
import { AGAINST_REFERENCE, next, nextConnection } from "./support/interop.js";

/** The part of socket.io-client 2.x's socket these tests use (the package ships no types). */
interface V2Socket {
  readonly id: string;
  readonly connected: boolean;
  readonly io: { engine: { transport: { name: string }; once(ev: "upgrade", fn: () => void): unknown } };
  on(ev: string, fn: (...args: any[]) => void): V2Socket;
  once(ev: string, fn: (...args: any[]) => void): V2Socket;
  emit(ev: string, ...args: unknown[]): V2Socket;
  disconnect(): V2Socket;
}
type V2Lookup = (url: string, opts?: Record<string, unknown>) => V2Socket;

const ioV2 = createRequire(import.meta.url)("socket.io-client-v2") as V2Lookup;

type Mode = "polling" | "websocket" | "upgrade";
const MODES: readonly Mode[] = ["polling", "websocket", "upgrade"];

function modeOptions(mode: Mode): Record<string, unknown> {
  switch (mode) {
    case "polling":
      return { transports: ["polling"] };
    case "websocket":
      return { transports: ["websocket"] };
    case "upgrade":
      return { transports: ["polling", "websocket"] };
  }
}

type Ack = (...args: unknown[]) => void;

interface LegacyServer {
  io: Server;
  url: string;
  /** A v2 client socket (forceNew, no reconnection), not awaited. */
  client(nsp: string, mode: Mode): V2Socket;
  /** A connected v2 client; in `upgrade` mode, once it runs over WebSocket. */
  connect(nsp: string, mode: Mode): Promise<V2Socket>;
  close(): Promise<void>;
}

async function startLegacy(opts: ServerOptions = { allowEIO3: true }): Promise<LegacyServer> {
  const http = createServer();
  const io = AGAINST_REFERENCE ? await referenceServer(http, opts) : new Server(http, opts);
  const port = await listen(http);
  const url = `http://127.0.0.1:${port}`;
  const clients: V2Socket[] = [];
  const client = (nsp: string, mode: Mode): V2Socket => {
    const c = ioV2(url + nsp, { forceNew: true, reconnection: false, ...modeOptions(mode) });
    clients.push(c);
    return c;
  };
  return {
    io,
    url,
    client,
    async connect(nsp, mode) {
      const c = client(nsp, mode);
      const upgraded = mode === "upgrade" ? next(c.io.engine, "upgrade") : undefined;
      await connected(c);
      await upgraded;
      if (mode === "upgrade") assert.equal(c.io.engine.transport.name, "websocket");
      return c;
    },
    async close() {
      for (const c of clients) c.disconnect();
      http.closeAllConnections();
      await io.close();
    },
  };
}

async function referenceServer(http: HttpServer, opts: ServerOptions): Promise<Server> {
  const { Server: SioServer } = await import("socket.io");
  return new SioServer(http, opts as Record<string, unknown>) as unknown as Server;
}

/** Resolves on `connect`; rejects on `connect_error` / `error` (v2 reports both). */
function connected(c: V2Socket, timeoutMs = 10_000): Promise<void> {
  if (c.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out waiting for connect")), timeoutMs);
    const fail = (err: unknown): void => {
      clearTimeout(timer);
      reject(err instanceof Error ? err : new Error(`connect failed: ${JSON.stringify(err)}`));
    };
    c.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
    c.once("connect_error", fail);
    c.once("error", fail);
  });
}

/** Connects a v2 client to `nsp` and returns it with its server socket. */
async function pair(srv: LegacyServer, nsp: string, mode: Mode): Promise<{ client: V2Socket; socket: ServerSocket }> {
  const conn = nextConnection(nsp === "/" ? srv.io : srv.io.of(nsp.replace(/\?.*/, "")));
  const client = await srv.connect(nsp, mode);
  return { client, socket: await conn };
}

/**
 * An Engine.IO v3 binary payload (§2.2): per packet `0x00` (string) or `0x01` (binary), the
 * length in decimal digits one byte each, `0xff`, then the packet; a binary packet starts with
 * its type byte (4, message).
 */
function encodeBinaryPayload(packets: (string | Uint8Array)[]): Buffer {
  const parts: Buffer[] = [];
  for (const p of packets) {
    const body = typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.concat([Buffer.from([4]), p]);
    const digits = [...String(typeof p === "string" ? p.length : body.length)].map(Number);
    parts.push(Buffer.from([typeof p === "string" ? 0 : 1, ...digits, 0xff]), body);
  }
  return Buffer.concat(parts);
}

/** The inverse of `encodeBinaryPayload` (string packets here are ASCII). */
function decodeBinaryPayload(bytes: Buffer): (string | Buffer)[] {
  const out: (string | Buffer)[] = [];
  let i = 0;
  while (i < bytes.length) {
    const isString = bytes[i++] === 0;
    let digits = "";
    while (bytes[i] !== 0xff) digits += String(bytes[i++]);
    i++;
    const body = bytes.subarray(i, i + Number(digits));
    i += body.length;
    out.push(isString ? body.toString("utf8") : body);
  }
  return out;
}

describe("legacy socket.io-client 2.x (allowEIO3)", { concurrency: true }, () => {
  for (const mode of MODES) {
    test(`[${mode}] connects; events and acks both ways`, async () => {
      const srv = await startLegacy();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        assert.equal(socket.conn.protocol, 3);
        assert.equal(client.id, socket.id, "EIO3 clients: socket id = engine id on /");

        const fromClient = next(socket, "hello");
        client.emit("hello", "wörld", { n: [1, 2] }, null);
        assert.deepEqual(await fromClient, ["wörld", { n: [1, 2] }, null]);

        const fromServer = next(client, "greet");
        socket.emit("greet", { from: "server" }, 3);
        assert.deepEqual(await fromServer, [{ from: "server" }, 3]);

        socket.on("add", (a: number, b: number, ack: Ack) => ack(a + b, "sum"));
        const serverAck = await new Promise<unknown[]>((resolve) =>
          client.emit("add", 2, 3, (...args: unknown[]) => resolve(args)),
        );
        assert.deepEqual(serverAck, [5, "sum"]);

        client.on("upper", (s: string, ack: Ack) => ack(s.toUpperCase()));
        const clientAck = await new Promise<unknown[]>((resolve) =>
          socket.emit("upper", "abc", (...args: unknown[]) => resolve(args)),
        );
        assert.deepEqual(clientAck, ["ABC"]);
        assert.equal(await socket.timeout(5000).emitWithAck("upper", "xyz"), "XYZ");
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] binary both ways, in events and in acks`, async () => {
      const srv = await startLegacy();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const bytes = Buffer.from([0, 1, 2, 250, 255]);

        const fromClient = next<[Buffer, { nested: Buffer; n: number }]>(socket, "bin");
        client.emit("bin", bytes, { nested: Buffer.from("hi"), n: 1 });
        const [top, obj] = await fromClient;
        assert.ok(Buffer.isBuffer(top));
        assert.deepEqual([...top], [...bytes]);
        assert.deepEqual([...obj.nested], [...Buffer.from("hi")]);
        assert.equal(obj.n, 1);

        const fromServer = next<[{ data: Buffer }, Buffer]>(client, "bin");
        socket.emit("bin", { data: bytes }, Buffer.from("second"));
        const [wrapped, second] = await fromServer;
        assert.ok(Buffer.isBuffer(wrapped.data));
        assert.deepEqual([...wrapped.data], [...bytes]);
        assert.equal(Buffer.from(second).toString(), "second");

        socket.on("reverse", (b: Buffer, ack: Ack) => ack(Buffer.from([...b].reverse())));
        const [reversed] = await new Promise<unknown[]>((resolve) =>
          client.emit("reverse", bytes, (...args: unknown[]) => resolve(args)),
        );
        assert.deepEqual([...(reversed as Buffer)], [...bytes].reverse());

        client.on("size", (b: Buffer, ack: Ack) => ack(b.length, Buffer.from([b.length])));
        const sized = await new Promise<unknown[]>((resolve) =>
          socket.emit("size", bytes, (...args: unknown[]) => resolve(args)),
        );
        assert.equal(sized[0], 5);
        assert.deepEqual([...(sized[1] as Buffer)], [5]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] a namespace with a query: the query becomes handshake.auth`, async () => {
      const srv = await startLegacy();
      try {
        const { client, socket } = await pair(srv, "/admin?token=abc", mode);
        assert.equal(socket.nsp.name, "/admin");
        assert.deepEqual({ ...socket.handshake.auth }, { token: "abc" });
        assert.equal(Object.getPrototypeOf(socket.handshake.auth), null, "no inherited prototype");
        assert.equal(socket.handshake.query["token"], "abc", "the 2.x client also puts it on the engine URL");
        assert.equal(client.id, socket.id, "EIO3 clients: socket id = <nsp>#<engine id>");
        assert.match(socket.id, /^\/admin#/);
        const echoed = next(client, "where");
        socket.emit("where", socket.nsp.name);
        assert.deepEqual(await echoed, ["/admin"]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] a middleware error reaches the client as an "error" event`, async () => {
      const srv = await startLegacy();
      try {
        srv.io.of("/admin").use((_socket, nextFn) => {
          nextFn(Object.assign(new Error("not authorized"), { data: { code: 42, reason: "token" } }));
        });
        srv.io.of("/plain").use((_socket, nextFn) => nextFn(new Error("plain refusal")));
        const admin = srv.client("/admin", mode);
        // Protocol v4 ERROR carries `err.data` when set, else `err.message` (§2.4).
        assert.deepEqual(await next(admin, "error"), [{ code: 42, reason: "token" }]);
        assert.equal(admin.connected, false);
        const plain = srv.client("/plain", mode);
        assert.deepEqual(await next(plain, "error"), ["plain refusal"]);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] disconnect from the client`, async () => {
      const srv = await startLegacy();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const gone = next<[string]>(socket, "disconnect");
        client.disconnect();
        assert.equal((await gone)[0], "client namespace disconnect");
        assert.equal(socket.connected, false);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] disconnect from the server`, async () => {
      const srv = await startLegacy();
      try {
        const { client, socket } = await pair(srv, "/", mode);
        const gone = next<[string]>(client, "disconnect");
        socket.disconnect();
        assert.equal((await gone)[0], "io server disconnect");
        assert.equal(client.connected, false);

        const second = await pair(srv, "/", mode);
        const closed = next<[string]>(second.client, "disconnect");
        const serverSide = next<[string]>(second.socket, "disconnect");
        second.socket.disconnect(true);
        assert.equal((await serverSide)[0], "server namespace disconnect");
        // The whole connection is closed: the v2 client may see the namespace or the engine go.
        assert.match((await closed)[0], /^(io server disconnect|transport close)$/);
      } finally {
        await srv.close();
      }
    });

    test(`[${mode}] without allowEIO3 the v2 client is refused (code 5)`, async () => {
      const srv = await startLegacy({});
      try {
        const refused = next<[{ code: number; message: string }]>(srv.io.engine, "connection_error");
        const c = srv.client("/", mode);
        const clientError = next(c, "connect_error");
        const [err] = await refused;
        assert.equal(err.code, 5);
        assert.equal(err.message, "Unsupported protocol version");
        await clientError;
        assert.equal(c.connected, false);
      } finally {
        await srv.close();
      }
    });
  }

  test("[polling, raw] binary payloads (application/octet-stream) both ways, with a binary ack", async () => {
    const srv = await startLegacy();
    try {
      const conn = nextConnection(srv.io);
      const base = `${srv.url}/socket.io/?EIO=3&transport=polling`;
      const open = await fetch(base);
      const openText = await open.text();
      assert.match(openText, /^\d+:0\{"sid":"[^"]+"/);
      const { sid } = JSON.parse(openText.slice(openText.indexOf(":") + 2)) as { sid: string };
      const q = `${base}&sid=${encodeURIComponent(sid)}`;
      assert.equal(await (await fetch(q)).text(), "2:40", "protocol v4: the server joins / on its own");
      const socket = await conn;

      socket.on("bin", (b: Buffer, ack: Ack) => ack(Buffer.from([...b].reverse()), "reversed"));
      const post = await fetch(q, {
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        body: encodeBinaryPayload(['451-0["bin",{"_placeholder":true,"num":0}]', new Uint8Array([9, 8, 7])]),
      });
      assert.equal(post.status, 200);
      assert.equal(await post.text(), "ok");

      const ack = await fetch(q);
      assert.equal(ack.headers.get("content-type"), "application/octet-stream");
      const ackPackets = decodeBinaryPayload(Buffer.from(await ack.arrayBuffer()));
      assert.deepEqual(ackPackets, ['461-0[{"_placeholder":true,"num":0},"reversed"]', Buffer.from([4, 7, 8, 9])]);

      socket.emit("text only", "no binary here");
      const text = await fetch(q);
      assert.match(text.headers.get("content-type") ?? "", /^text\/plain/);
      const packet = '42["text only","no binary here"]';
      assert.equal(await text.text(), `${packet.length}:${packet}`);
    } finally {
      await srv.close();
    }
  });
});
