/** Socket `state`: disconnected → connecting → connected → reconnecting → …, readable and observable. */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import type { Socket, SocketState } from "@omnio/client";
import { io } from "@omnio/client/node";
import { SERVER_KINDS, once } from "./support/servers.js";
import { MODES, nextServerSocket, startSio, until } from "./support/sio.js";

/** Records every change as "previous→state". */
function record(socket: Socket): { changes: string[]; stop: () => void } {
  const changes: string[] = [];
  const stop = socket.onStateChange((state: SocketState, previous: SocketState) =>
    changes.push(`${previous}→${state}`),
  );
  return { changes, stop };
}

for (const kind of SERVER_KINDS) {
  for (const mode of MODES) {
    describe(`socket state [${kind}, ${mode.name}]`, () => {
      const base = {
        transports: mode.transports,
        upgrade: mode.upgrade,
        reconnectionDelay: 20,
        reconnectionDelayMax: 50,
      };

      test("connect, server drop, reconnect, manual disconnect", async () => {
        const srv = await startSio(kind);
        try {
          const first = nextServerSocket(srv.io);
          const socket = io(srv.url, { ...base, autoConnect: false });
          assert.equal(socket.state, "disconnected");
          const { changes, stop } = record(socket);
          socket.connect();
          assert.equal(socket.state, "connecting");
          await once(socket, "connect");
          assert.equal(socket.state, "connected");
          // The state is already updated when `disconnect` / `connect` listeners run.
          const seen: SocketState[] = [];
          socket.on("disconnect", () => seen.push(socket.state));
          socket.on("connect", () => seen.push(socket.state));
          const reconnected = once(socket, "connect");
          (await first).conn.close();
          await reconnected;
          assert.deepEqual(seen, ["reconnecting", "connected"]);
          socket.disconnect();
          assert.equal(socket.state, "disconnected");
          assert.deepEqual(changes, [
            "disconnected→connecting",
            "connecting→connected",
            "connected→reconnecting",
            "reconnecting→connected",
            "connected→disconnected",
          ]);
          stop();
          socket.connect();
          await once(socket, "connect");
          assert.equal(changes.length, 5); // unsubscribed
          socket.disconnect();
        } finally {
          await srv.close();
        }
      });

      test("server disconnect and a refused namespace end in disconnected", async () => {
        const srv = await startSio(kind);
        try {
          const first = nextServerSocket(srv.io);
          const socket = io(srv.url, base);
          const { changes } = record(socket);
          await once(socket, "connect");
          const gone = once(socket, "disconnect");
          (await first).disconnect();
          assert.equal((await gone)[0], "io server disconnect");
          assert.equal(socket.state, "disconnected");
          // autoConnect: already connecting when `io()` returned.
          assert.deepEqual(changes, ["connecting→connected", "connected→disconnected"]);

          srv.io.of("/locked").use((_s: unknown, next: (e?: Error) => void) => next(new Error("nope")));
          const locked = io(srv.url + "/locked", base);
          const lockedChanges = record(locked).changes;
          assert.equal(locked.state, "connecting");
          await once(locked, "connect_error");
          assert.equal(locked.state, "disconnected");
          assert.deepEqual(lockedChanges, ["connecting→disconnected"]);
        } finally {
          await srv.close();
        }
      });
    });
  }
}

describe("socket state: unreachable server", () => {
  test("connecting → reconnecting while attempts remain → disconnected after reconnect_failed", async () => {
    const socket = io("http://127.0.0.1:1", {
      transports: ["websocket"],
      reconnectionAttempts: 2,
      reconnectionDelay: 10,
      reconnectionDelayMax: 20,
    });
    assert.equal(socket.state, "connecting");
    const { changes } = record(socket);
    const during: SocketState[] = [];
    socket.io.on("reconnect_attempt", () => during.push(socket.state));
    await once(socket.io, "reconnect_failed");
    await until(() => socket.state === "disconnected", 1000, "disconnected");
    assert.deepEqual(during, ["reconnecting", "reconnecting"]);
    assert.deepEqual(changes, ["connecting→reconnecting", "reconnecting→disconnected"]);
    socket.disconnect();
  });

  test("reconnection: false → disconnected after the first failure", async () => {
    const socket = io("http://127.0.0.1:1", { transports: ["websocket"], reconnection: false });
    await once(socket, "connect_error");
    assert.equal(socket.state, "disconnected");
    socket.disconnect();
  });
});
