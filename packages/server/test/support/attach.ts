/**
 * Helpers for the attach suite (`attach-*.test.ts`): the ways an omnio `Server` gets onto a
 * Node server, each checked with the official `socket.io-client` doing a connect + ack round
 * trip.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io as ioc, type Socket as ClientSocket } from "socket.io-client";
import type { Server } from "@omnio/server";
import { type ClientOptions, waitConnect } from "./interop.js";

/** The two transports a client can be pinned to. */
export const TRANSPORTS = ["websocket", "polling"] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** Makes every socket of `io`'s main namespace answer `echo` with its argument. */
export function echo(io: Server): void {
  io.on("connection", (socket) => {
    socket.on("echo", (value: unknown, ack: (v: unknown) => void) => ack(value));
  });
}

/**
 * Connects an official client pinned to `transport`, checks an ack round trip and disconnects.
 * Resolves with the client's engine transport name, to tell the test which one ran.
 */
export async function roundTrip(url: string, transport: Transport, opts: ClientOptions = {}): Promise<string> {
  const c: ClientSocket = ioc(url, { forceNew: true, reconnection: false, transports: [transport], ...opts });
  try {
    await waitConnect(c);
    const payload = { n: 1, s: "é", list: [true, null] };
    const back: unknown = await c.timeout(5000).emitWithAck("echo", payload);
    if (JSON.stringify(back) !== JSON.stringify(payload)) {
      throw new Error(`echo came back as ${JSON.stringify(back)}`);
    }
    return c.io.engine.transport.name;
  } finally {
    c.disconnect();
  }
}

/** Listens on a free port of 127.0.0.1 and resolves with the port. */
export async function listen(server: NetServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A port that was free a moment ago (for `new Server(port)`, which picks no host). */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  const port = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Resolves with the error of a TCP connection attempt, or `undefined` if it connected. */
export function connectError(port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(undefined);
    });
    s.once("error", (err: NodeJS.ErrnoException) => resolve(err));
  });
}

/** A self-signed certificate for `127.0.0.1` / `localhost`. */
export interface Certificate {
  key: Buffer;
  cert: Buffer;
}

let cached: Certificate | null | undefined;

/**
 * Generates a self-signed certificate with the `openssl` CLI into a temporary folder, or
 * resolves `null` (with a loud message) when `openssl` is missing.
 */
export function selfSignedCertificate(): Certificate | null {
  if (cached !== undefined) return cached;
  const dir = mkdtempSync(join(tmpdir(), "omnio-cert-"));
  try {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
      ],
      { stdio: "ignore" },
    );
    cached = { key: readFileSync(key), cert: readFileSync(cert) };
  } catch (err) {
    const why = `could not create a self-signed certificate with the \`openssl\` CLI (${(err as Error).message})`;
    // Under CI a missing program is a failure, never a skip (.ci/run installs openssl).
    if (process.env["CI"] === "true") throw new Error(`CI=true and the TLS attach tests cannot run: ${why}`);
    console.error(
      `\n!!!!!!!! attach tests: ${why}; the HTTPS and HTTP/2 tests are SKIPPED (apt-get install -y openssl) !!!!!!!!\n`,
    );
    cached = null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return cached;
}
