/** Reconnection after the server process is killed (SIGKILL) and restarted on the same port. */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { io } from "@omnio/client/node";
import { SERVER_KINDS, once, type ServerKind } from "./support/servers.js";
import { MODES, until } from "./support/sio.js";
import { killChild, startListeningChild, type ListeningChild } from "./support/child-process.js";

const CHILD = fileURLToPath(new URL("./support/child-server.js", import.meta.url));

type Child = ListeningChild;

/** Starts the server script in a new Node process; resolves once it listens. */
const startChild = (kind: ServerKind, port = 0): Promise<Child> => startListeningChild(CHILD, [kind, String(port)]);

for (const kind of SERVER_KINDS) {
  describe(`server process restart [${kind}]`, () => {
    for (const mode of MODES) {
      test(`[${mode.name}] SIGKILL, restart on the same port → the client reconnects and exchanges events`, async () => {
        const children: Child[] = [];
        const first = await startChild(kind);
        children.push(first);
        const socket = io(`http://127.0.0.1:${first.port}`, {
          transports: mode.transports,
          upgrade: mode.upgrade,
          reconnectionDelay: 50,
          reconnectionDelayMax: 200,
        });
        try {
          const [firstPid] = await once<[number]>(socket, "hello");
          assert.equal(firstPid, first.proc.pid);
          assert.equal(await socket.timeout(3000).emitWithAck("echo", "before"), "before");

          if (mode.upgrade) await until(() => socket.io.engine?.transport === "websocket", 3000, "the upgrade");
          const disconnected = once<[string]>(socket, "disconnect");
          const attempts: number[] = [];
          socket.io.on("reconnect_attempt", (n) => attempts.push(n));
          await killChild(first);
          // A failed polling request is a transport error (as in socket.io-client); a WebSocket closes.
          assert.equal((await disconnected)[0], mode.name === "polling" ? "transport error" : "transport close");
          // Down for a while: the attempts fail against the closed port.
          const failed = await once<[Error]>(socket.io, "reconnect_error", 5000);
          assert.ok(failed[0] instanceof Error);

          const hello = once<[number]>(socket, "hello", 15_000); // loose: a new Node process on a loaded host
          const second = await startChild(kind, first.port);
          children.push(second);
          const [secondPid] = await hello;
          assert.equal(secondPid, second.proc.pid);
          assert.equal(socket.connected, true);
          assert.ok(attempts.length >= 2, `attempts ${attempts.join(",")}`);
          assert.deepEqual(await socket.timeout(3000).emitWithAck("echo", { after: [1, 2] }), { after: [1, 2] });
        } finally {
          socket.disconnect();
          for (const child of children) await killChild(child);
        }
      });
    }
  });
}
