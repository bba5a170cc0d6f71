/**
 * The omnio SERVER running inside a real Bun process through its Node adapter (`node:http` and
 * `ws`, which Bun implements), with the official socket.io-client 4.8.4 in Node as the peer:
 * websocket, polling and upgrade; acks with binary, a room broadcast between two clients, and
 * heartbeats; a killed server process is noticed by the clients (suite in runtimes/server-suite.ts).
 */
import { describeServerUnder } from "./runtimes/server-suite.js";

describeServerUnder("bun", "Bun");
