/** Fault injection: a frozen link (no bytes either way, TCP still open) is detected by the heartbeat and the client reconnects once it thaws. */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { io } from "@omnio/client/node";
import { SERVER_KINDS, once } from "./support/servers.js";
import { MODES, nextServerSocket, until } from "./support/sio.js";
import { startProxiedSio } from "./support/fault.js";

const PING_INTERVAL = 400; // room for a loaded CI host once reconnected (the echo must not hit a second timeout)
const PING_TIMEOUT = 400;
/** Loose slack on top of pingInterval + pingTimeout (the timer grace and a loaded test host). */
const SLACK = 1500;

for (const kind of SERVER_KINDS) {
  describe(`fault: frozen link [${kind}]`, () => {
    for (const mode of MODES.filter((m) => m.name !== "upgrade")) {
      test(`[${mode.name}] detected as ping timeout within pingInterval + pingTimeout, reconnects after resume()`, async () => {
        const { srv, proxy, close } = await startProxiedSio(kind, {
          pingInterval: PING_INTERVAL,
          pingTimeout: PING_TIMEOUT,
        });
        const socket = io(proxy.url, {
          transports: mode.transports,
          upgrade: false,
          reconnectionDelay: 50,
          reconnectionDelayMax: 200,
        });
        try {
          const first = nextServerSocket(srv.io);
          await once(socket, "connect");
          await first;
          await once(socket.io, "ping");
          const disconnected = once<[string]>(socket, "disconnect", PING_INTERVAL + PING_TIMEOUT + SLACK);
          const frozenAt = Date.now();
          proxy.freeze();
          const [reason] = await disconnected;
          const elapsed = Date.now() - frozenAt;
          assert.equal(reason, "ping timeout");
          assert.ok(elapsed <= PING_INTERVAL + PING_TIMEOUT + SLACK, `detected after ${elapsed} ms`);
          assert.equal(socket.active, true, "the socket keeps trying to reconnect");

          const reconnected = once(socket, "connect", 5000);
          const second = nextServerSocket(srv.io);
          proxy.resume();
          await reconnected;
          const serverSocket = await second;
          // The link works again, both ways.
          serverSocket.on("echo", (n: number, ack: (n: number) => void) => ack(n * 2));
          assert.equal(await socket.timeout(3000).emitWithAck("echo", 21), 42);
          await until(() => srv.engineConnections() >= 2, 3000, "a second engine connection");
        } finally {
          socket.disconnect();
          await close();
        }
      });
    }
  });
}
