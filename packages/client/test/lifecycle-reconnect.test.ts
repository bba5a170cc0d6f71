/**
 * Platform lifecycle over real sockets (Node platform with scripted network signals), against
 * both servers × 3 transport modes: `offline` drops a healthy connection at once ("transport
 * close", the server sees the client leave), and `online` reconnects without waiting for the
 * 30 s reconnection delay.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import type { Platform } from "@omnio/client";
import { createNodePlatform, io } from "@omnio/client/node";
import { SERVER_KINDS, once } from "./support/servers.js";
import { MODES, nextServerSocket, startSio, until } from "./support/sio.js";

/** The Node platform plus a network signal the test drives. */
function networkPlatform(): { platform: Platform; network(online: boolean): void } {
  const listeners = new Set<(online: boolean) => void>();
  const platform: Platform = {
    ...createNodePlatform(),
    lifecycle: {
      onNetworkChange(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
  return { platform, network: (online) => [...listeners].forEach((l) => l(online)) };
}

for (const kind of SERVER_KINDS) {
  describe(`lifecycle: offline / online over real sockets [${kind}]`, () => {
    for (const mode of MODES) {
      test(`${mode.name}: offline → transport close now; online → reconnect before the 30 s delay`, async () => {
        const srv = await startSio(kind);
        srv.io.on("connection", (s: any) => s.on("ping-ack", (ack: (r: string) => void) => ack("pong")));
        const { platform, network } = networkPlatform();
        const socket = io(srv.url, {
          platform,
          transports: mode.transports,
          upgrade: mode.upgrade,
          reconnectionDelay: 30_000,
          reconnectionDelayMax: 30_000,
          randomizationFactor: 0,
        });
        try {
          const first = nextServerSocket(srv.io);
          await once(socket, "connect");
          const serverSocket = await first;
          const serverGone = once<[string]>(serverSocket, "disconnect", 10_000);
          const disconnected = once<[string, unknown]>(socket, "disconnect", 1000);
          network(false);
          const [reason, details] = await disconnected;
          assert.equal(reason, "transport close");
          assert.deepEqual(details, { description: "network connection lost" });
          await serverGone;
          assert.equal(socket.state, "reconnecting");
          const oldId = socket.id;
          const reconnected = once<[number]>(socket.io, "reconnect", 5000);
          network(true);
          assert.equal((await reconnected)[0], 1);
          await until(() => socket.connected, 5000, "socket connected");
          assert.notEqual(socket.id, oldId);
          const reply = await socket.timeout(3000).emitWithAck("ping-ack");
          assert.equal(reply, "pong");
        } finally {
          socket.disconnect();
          await srv.close();
        }
      });
    }
  });
}
