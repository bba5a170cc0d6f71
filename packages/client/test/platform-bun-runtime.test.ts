/**
 * The built client (ESM dist, `@omnio/client/bun`) running inside a real Bun process (the
 * `bun` root devDependency), against the omnio server and the official socket.io 4.8.4
 * server started here on 127.0.0.1: connect, an ack, binary both ways, extraHeaders, and a
 * reconnection after the server is closed and started again on the same port. Bun's default
 * `binaryType` ("nodebuffer") is checked too (suite in runtimes/client-suite.ts).
 */
import { describeClientUnder } from "./runtimes/client-suite.js";

describeClientUnder("bun", "Bun", "nodebuffer");
