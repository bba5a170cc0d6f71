/**
 * The client test suite, run on one simulated host flavour against the omnio server and the
 * official socket.io 4.8.4 server: events, binary both ways, acks, namespaces over one socket,
 * polling, upgrade, WebSocket → polling fallback, reconnection, connection state recovery, the
 * socket cap. Each `platform-mp-<host>.test.ts` file calls {@link runClientSuite} for its host.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { EngineError, type Socket } from "@omnio/client";
import { createMiniProgramIo, MiniProgramError } from "@omnio/client/miniprogram";
import { SERVER_KINDS, once } from "../support/servers.js";
import { nextServerSocket, startSio, until } from "../support/sio.js";
import { hostFlavour, type HostFlavour } from "./matrix.js";
import type { SimHost } from "./sim-hosts.js";
import type { AlipayOptions } from "./sim-hosts.js";

interface Mode {
  name: string;
  options: Record<string, unknown>;
  /** The transport the connection ends up on. */
  transport: "websocket" | "polling";
}

const MODES: readonly Mode[] = [
  { name: "websocket", options: {}, transport: "websocket" },
  { name: "polling", options: { transports: ["polling"] }, transport: "polling" },
  { name: "upgrade", options: { transports: ["polling", "websocket"], upgrade: true }, transport: "websocket" },
];

/** Connects a client on `flavour` to `url` (the mini-program `io()` defaults apply). */
export function connectOn(
  flavour: HostFlavour,
  url: string,
  options: Record<string, unknown> = {},
  sim: AlipayOptions = {},
  platformOptions: Record<string, unknown> = {},
): { host: SimHost; socket: Socket } {
  const host = flavour.create(sim);
  const platform = flavour.platform(host, platformOptions);
  const io = createMiniProgramIo(() => platform);
  const socket = io(url, { reconnectionDelay: 50, reconnectionDelayMax: 200, ...options });
  return { host, socket };
}

function transportName(socket: Socket): string | undefined {
  return socket.io.engine?.transport;
}

const bytes = (...values: number[]): ArrayBuffer => new Uint8Array(values).buffer;

/** Registers the whole suite for the host flavour `name`. */
export function runClientSuite(name: string): void {
  const flavour = hostFlavour(name);
  for (const kind of SERVER_KINDS) {
    for (const mode of MODES) {
      describe(`[${name}] client on ${kind}, ${mode.name}`, () => {
        test("connect, events and acks both ways, binary both ways as exact ArrayBuffers, disconnect", async () => {
          const srv = await startSio(kind);
          const { host, socket } = connectOn(flavour, srv.url, { ...mode.options, reconnection: false });
          try {
            const serverSocket = nextServerSocket(srv.io);
            await once(socket, "connect");
            const s = await serverSocket;
            assert.equal(socket.id, s.id);
            if (mode.name === "upgrade") await until(() => transportName(socket) === "websocket", 8000, "upgrade");
            assert.equal(transportName(socket), mode.transport);
            // client → server: text, ack, binary (a sub-view, nested).
            s.on("echo", (value: unknown, ack: (v: unknown) => void) => ack(value));
            const got = once<[unknown]>(s, "bin");
            const view = new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4);
            socket.emit("bin", { nested: view, raw: bytes(255, 0, 128) });
            const [payload] = (await got) as [{ nested: Buffer; raw: Buffer }];
            assert.deepEqual([...payload.nested], [1, 2, 3]);
            assert.deepEqual([...payload.raw], [255, 0, 128]);
            assert.equal(await socket.emitWithAck("echo", "héllo"), "héllo");
            // server → client: event with binary, and a server-side ack.
            const received = once<[{ file: ArrayBuffer; text: string }]>(socket, "file");
            s.emit("file", { file: Buffer.from([7, 8, 9]), text: "2" });
            const [file] = await received;
            assert.ok(file.file instanceof ArrayBuffer, "binary arrives as an ArrayBuffer");
            assert.deepEqual([...new Uint8Array(file.file)], [7, 8, 9]);
            assert.equal(file.text, "2");
            socket.on("ask", (n: number, ack: (v: number) => void) => ack(n * 2));
            assert.equal(await s.timeout(2000).emitWithAck("ask", 21), 42);
            const reason = once<[string]>(s, "disconnect");
            socket.disconnect();
            assert.match((await reason)[0], /client namespace disconnect|transport close/);
            await until(() => host.state.sockets.size === 0, 8000, "host sockets closed");
          } finally {
            socket.disconnect();
            host.state.dispose();
            await srv.close();
          }
        });

        test("namespaces share one connection (one host socket at most)", async () => {
          const srv = await startSio(kind);
          const { host, socket } = connectOn(flavour, srv.url, mode.options);
          try {
            srv.io.of("/admin").on("connection", (s: any) => s.on("ping?", (ack: (v: string) => void) => ack("admin")));
            const admin = socket.io.socket("/admin");
            admin.connect();
            await Promise.all([once(socket, "connect"), once(admin, "connect")]);
            assert.equal(await admin.timeout(2000).emitWithAck("ping?"), "admin");
            assert.equal(srv.engineConnections(), 1);
            assert.ok(host.state.peakSockets <= 1, `peak ${host.state.peakSockets} host sockets`);
            admin.disconnect();
          } finally {
            socket.disconnect();
            host.state.dispose();
            await srv.close();
          }
        });

        test("the host drops the link → reconnects with a new id; emits while down are delivered once, in order", async () => {
          const srv = await startSio(kind);
          const { host, socket } = connectOn(flavour, srv.url, mode.options);
          try {
            const seen: number[] = [];
            srv.io.on("connection", (s: any) => s.on("n", (n: number) => seen.push(n)));
            await once(socket, "connect");
            if (mode.name === "upgrade") await until(() => transportName(socket) === "websocket", 8000, "upgrade");
            const firstId = socket.id;
            const down = once<[string]>(socket, "disconnect");
            if (mode.transport === "websocket") host.state.dropSockets();
            else for (const r of [...host.state.requests]) r.interrupt("request:fail network error");
            assert.match((await down)[0], /transport (close|error)/);
            for (let i = 0; i < 5; i++) socket.emit("n", i);
            await once(socket, "connect", 5000);
            assert.notEqual(socket.id, firstId);
            socket.emit("n", 5);
            await until(() => seen.length >= 6, 8000, "6 events");
            assert.deepEqual(seen, [0, 1, 2, 3, 4, 5]);
          } finally {
            socket.disconnect();
            host.state.dispose();
            await srv.close();
          }
        });

        test("connection state recovery after a dropped link: same id, missed broadcasts in order", async () => {
          const srv = await startSio(kind, {
            connectionStateRecovery: { maxDisconnectionDuration: 10_000 },
            pingInterval: 300,
            pingTimeout: 300,
          });
          const { host, socket } = connectOn(flavour, srv.url, mode.options);
          try {
            const got: string[] = [];
            socket.on("news", (text: string) => got.push(text));
            const first = nextServerSocket(srv.io);
            await once(socket, "connect");
            const s = await first;
            srv.io.emit("news", "one");
            await until(() => got.length === 1, 8000, "first broadcast");
            const id = socket.id;
            const serverGone = once(s, "disconnect", 5000);
            if (mode.name === "upgrade") await until(() => transportName(socket) === "websocket", 8000, "upgrade");
            if (transportName(socket) === "websocket") host.state.dropSockets();
            else {
              host.state.setNetwork(false);
              await serverGone;
              host.state.setNetwork(true);
            }
            if (transportName(socket) === "websocket") await serverGone;
            srv.io.emit("news", "missed-1");
            srv.io.emit("news", "missed-2");
            await until(() => socket.connected && got.length >= 3, 10000, "recovered");
            assert.equal(socket.recovered, true);
            assert.equal(socket.id, id);
            assert.deepEqual(got, ["one", "missed-1", "missed-2"]);
          } finally {
            socket.disconnect();
            host.state.dispose();
            await srv.close();
          }
        });
      });
    }

    describe(`[${name}] host quirks on ${kind}`, () => {
      test("WebSocket refused by the host → falls back to polling", async () => {
        const srv = await startSio(kind);
        const { host, socket } = connectOn(flavour, srv.url, {}, { refuseSockets: true });
        try {
          srv.io.on("connection", (s: any) => s.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v)));
          await once(socket, "connect");
          assert.equal(transportName(socket), "polling");
          assert.equal(await socket.timeout(2000).emitWithAck("echo", "via polling"), "via polling");
          assert.ok(host.state.connects.length >= 1, "a socket was attempted first");
        } finally {
          socket.disconnect();
          host.state.dispose();
          await srv.close();
        }
      });

      test("socket cap reached → connect_error carries a SOCKET_LIMIT MiniProgramError", async () => {
        const srv = await startSio(kind);
        const { host, socket } = connectOn(
          flavour,
          srv.url,
          { transports: ["websocket"], reconnection: false },
          // Another SDK holds the only slot: the host refuses the client's socket.
          { maxSockets: 1, occupiedSockets: 1 },
        );
        try {
          const [err] = await once<[EngineError]>(socket, "connect_error");
          assert.ok(err instanceof EngineError);
          assert.equal(err.message, "websocket error");
          const detail = err.description;
          assert.ok(detail instanceof MiniProgramError, String(detail));
          assert.equal(detail.code, "SOCKET_LIMIT");
          assert.match(detail.message, /share one Manager/);
        } finally {
          socket.disconnect();
          host.state.dispose();
          await srv.close();
        }
      });
    });
  }
}
