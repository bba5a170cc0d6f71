/**
 * The frame every bad-input test runs in: a server on a free port, a healthy official client
 * connected before the attack, and after it three checks — the healthy client still gets an
 * ack, no `uncaughtException`/`unhandledRejection` happened, and every hostile peer is gone.
 */
import assert from "node:assert/strict";
import type { ServerOptions as HttpServerOptions } from "node:http";
import type { Socket as ClientSocket } from "socket.io-client";
import type { ServerOptions } from "@omnio/server";
import { once, sleep, startServer, type TestServer } from "./servers.js";

const faults: string[] = [];
let listening = false;

/**
 * Records every `uncaughtException` and `unhandledRejection` of this process from now on
 * (the listeners stay installed: a crash in one test must not be hidden by the next).
 */
export function recordFaults(): void {
  if (listening) return;
  listening = true;
  process.on("uncaughtException", (err) => faults.push(`uncaughtException: ${err.stack ?? String(err)}`));
  process.on("unhandledRejection", (reason) =>
    faults.push(`unhandledRejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`),
  );
}

/** Fails if any fault was recorded since `recordFaults()`. */
export function assertNoFaults(): void {
  assert.deepEqual(faults, [], "the process raised uncaught errors");
}

export interface Target extends TestServer {
  /** Official socket.io-client, connected over WebSocket before the attack. */
  healthy: ClientSocket;
  /** Registers a hostile peer to destroy after the test, whatever happens. */
  track<T extends { destroy(): void } | { terminate(): void }>(peer: T): T;
}

/** Asks the healthy client for an echo ack (the server is still serving). */
export async function assertServing(t: Pick<Target, "healthy">, label = "after the attack"): Promise<void> {
  assert.ok(t.healthy.connected, `healthy client still connected ${label}`);
  assert.equal(await t.healthy.timeout(4000).emitWithAck("echo", label), label);
}

/**
 * Runs `attack` against a fresh server. The server answers `echo` with an ack on every
 * socket of `/`; tests add their own handlers through `t.io`.
 */
export async function underAttack(
  opts: ServerOptions,
  attack: (t: Target) => Promise<void>,
  httpOptions: HttpServerOptions = {},
): Promise<void> {
  recordFaults();
  const srv = await startServer(opts, httpOptions);
  const peers: Array<{ destroy(): void } | { terminate(): void }> = [];
  try {
    srv.io.on("connection", (socket) => {
      socket.on("echo", (value: unknown, ack: unknown) => {
        if (typeof ack === "function") (ack as (v: unknown) => void)(value);
      });
    });
    const healthy = srv.client("/", { transports: ["websocket"] });
    await once(healthy, "connect");
    const target: Target = {
      ...srv,
      healthy,
      track(peer) {
        peers.push(peer);
        return peer;
      },
    };
    await attack(target);
    await assertServing(target);
  } finally {
    for (const p of peers) {
      if ("destroy" in p) p.destroy();
      else p.terminate();
    }
    await srv.close();
  }
  // Late errors (timers, socket resets) surface within a few ticks.
  await sleep(20);
  assertNoFaults();
}

/** Polls `cond` every 10 ms until it holds (rejects after `timeoutMs`). */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
