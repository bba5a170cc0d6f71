/**
 * The example app, unchanged, on socket.io 4.8.4 and on @omnio/server, driven by the
 * official socket.io-client 4.8.4: every scenario runs on both servers and must give the
 * same transcript, which must also be the one written down with the scenario (`cases/`).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Server as SocketIoServer } from "socket.io";
import { Server as OmnioServer } from "@omnio/server";
import { HTTP_CASES } from "./cases/http-cases.js";
import { SOCKET_CASES } from "./cases/socket-cases.js";
import { runScenario, type Case, type ServerClass, type Transports } from "./support/harness.js";

const SERVERS: [string, ServerClass][] = [
  ["socket.io", SocketIoServer],
  ["@omnio/server", OmnioServer],
];

const TRANSPORTS: [string, Transports | undefined][] = [
  ["websocket", ["websocket"]],
  ["polling", ["polling"]],
  ["polling upgraded to websocket", undefined],
];

/** Runs `c` on each server, then checks omnio against socket.io and both against `expected`. */
async function compare(c: Case, transports: Transports | undefined): Promise<void> {
  const results: Record<string, unknown> = {};
  for (const [name, Server] of SERVERS) results[name] = await runScenario(Server, transports, c);
  assert.deepEqual(results["@omnio/server"], results["socket.io"], "@omnio/server and socket.io differ");
  const expected =
    typeof c.expected === "function" ? (c.expected as (t: Transports | undefined) => unknown)(transports) : c.expected;
  assert.deepEqual(results["socket.io"], expected, "socket.io differs from the expected transcript");
}

describe("socketio-app over plain HTTP", () => {
  for (const c of HTTP_CASES) test(c.name, () => compare(c, undefined));
});

for (const [label, transports] of TRANSPORTS) {
  describe(`socketio-app over ${label}`, () => {
    for (const c of SOCKET_CASES) test(c.name, () => compare(c, transports));
  });
}
