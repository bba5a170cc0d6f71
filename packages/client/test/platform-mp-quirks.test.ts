/**
 * The host quirks of issue 4, each through the client on a simulated host, against omnio and
 * socket.io 4.8.4: close before open (WeChat ignores it) leaks no socket; a socket that never
 * opens fails with OPEN_TIMEOUT and frees its slot; wss/whitelist refusals become clear
 * `connect_error`s; a 400 on polling (session gone) leads to a new session; Set-Cookie is kept
 * and replayed (sticky load balancers) with the host's header spelling; a header-less handshake
 * still authenticates through the CONNECT `auth`; Alipay's error 19 on polling recovers too.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { EngineError } from "@omnio/client";
import { MiniProgramError } from "@omnio/client/miniprogram";
import { SERVER_KINDS, once, sleep } from "./support/servers.js";
import { startSio, until } from "./support/sio.js";
import { hostFlavour } from "./hosts/matrix.js";
import { connectOn } from "./hosts/client-suite.js";

const wx = hostFlavour("wx");

function detail(err: unknown): MiniProgramError {
  assert.ok(err instanceof EngineError, String(err));
  assert.ok(err.description instanceof MiniProgramError, String(err.description));
  return err.description;
}

for (const kind of SERVER_KINDS) {
  describe(`mini-program quirks on ${kind}`, () => {
    test("close before open (WeChat ignores it): 10 connect/disconnect cycles leave no socket behind", async () => {
      const srv = await startSio(kind);
      const { host, socket } = connectOn(
        wx,
        srv.url,
        { autoConnect: false },
        { closeBeforeOpen: "ignored", maxSockets: 2 },
      );
      try {
        for (let i = 0; i < 10; i++) {
          socket.connect();
          socket.disconnect();
          await sleep(5);
        }
        await until(() => host.state.sockets.size === 0, 5000, "every socket closed");
        assert.ok(host.state.peakSockets <= 2, `peak ${host.state.peakSockets}`);
        socket.connect();
        await once(socket, "connect");
      } finally {
        socket.disconnect();
        host.state.dispose();
        await srv.close();
      }
    });

    test("a socket that never reports open → connect_error OPEN_TIMEOUT, slot freed", async () => {
      const srv = await startSio(kind);
      const { host, socket } = connectOn(
        wx,
        srv.url,
        { transports: ["websocket"], reconnection: false },
        { neverOpen: true, closeBeforeOpen: "deferred" },
        { openTimeout: 200, closeTimeout: 100, maxSockets: 1 },
      );
      try {
        const [err] = await once<[unknown]>(socket, "connect_error", 3000);
        assert.equal(detail(err).code, "OPEN_TIMEOUT");
        // The host never confirms the close either: after closeTimeout the only slot is free again.
        await sleep(150);
        socket.connect();
        const [again] = await once<[unknown]>(socket, "connect_error", 3000);
        assert.equal(detail(again).code, "OPEN_TIMEOUT", "not SOCKET_LIMIT");
        assert.equal(host.state.connects.length, 2);
      } finally {
        socket.disconnect();
        host.state.dispose();
        await srv.close();
      }
    });

    test("ws:// in a release build and a domain outside the whitelist → clear connect_errors", async () => {
      const srv = await startSio(kind);
      const a = connectOn(wx, srv.url, { reconnection: false }, { enforceSecure: true });
      const b = connectOn(wx, srv.url, { reconnection: false }, { allowedDomains: ["api.example.com"] });
      try {
        const [insecure] = await once<[unknown]>(a.socket, "connect_error");
        const first = detail(insecure);
        assert.equal(first.code, "INSECURE_URL");
        assert.match(first.message, /wss:\/\//);
        const [listed] = await once<[unknown]>(b.socket, "connect_error");
        const second = detail(listed);
        assert.equal(second.code, "DOMAIN_NOT_ALLOWED");
        assert.match(second.message, /whitelist/);
      } finally {
        a.socket.disconnect();
        b.socket.disconnect();
        await srv.close();
      }
    });

    for (const name of ["wx", "my-legacy"]) {
      test(`[${name}] polling: the server forgot the session (400, or Alipay's error 19) → new session, emits flow`, async () => {
        const srv = await startSio(kind);
        const { host, socket } = connectOn(hostFlavour(name), srv.url, { transports: ["polling"] });
        try {
          srv.io.on("connection", (s: any) => s.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v)));
          await once(socket, "connect");
          const firstId = socket.id;
          host.state.forgetSession = true;
          socket.emit("echo", "poke");
          const [reason] = await once<[string]>(socket, "disconnect");
          assert.equal(reason, "transport error");
          await once(socket, "connect");
          assert.notEqual(socket.id, firstId);
          assert.ok(host.requests.some((r) => r.status === 400 && r.url.includes("sid=forgotten")));
          assert.equal(await socket.timeout(2000).emitWithAck("echo", "again"), "again");
        } finally {
          socket.disconnect();
          host.state.dispose();
          await srv.close();
        }
      });
    }

    for (const name of ["wx", "my", "tt", "uni-app"]) {
      test(`[${name}] cookies: Set-Cookie kept and replayed on later requests and the socket handshake`, async () => {
        const srv = await startSio(kind, { cookie: { name: "lb" } });
        const { host, socket } = connectOn(hostFlavour(name), srv.url, {
          transports: ["polling", "websocket"],
          upgrade: true,
        });
        try {
          await once(socket, "connect");
          await until(() => host.state.connects.length > 0, 3000, "upgrade attempt");
          const sid = socket.io.engine?.id;
          const later = host.requests.slice(1);
          assert.ok(later.length > 0);
          for (const r of later) assert.equal(r.headers.cookie, `lb=${sid}`, `${r.method} ${r.url}`);
          assert.equal(host.state.connects[0]?.header?.cookie, `lb=${sid}`, "WebSocket handshake");
        } finally {
          socket.disconnect();
          host.state.dispose();
          await srv.close();
        }
      });
    }

    test("[uni-h5] header-less handshake: extraHeaders are dropped, auth still arrives in CONNECT", async () => {
      const srv = await startSio(kind);
      const seen: { auth: unknown; header: unknown }[] = [];
      srv.io.use((s: any, next: (e?: Error) => void) => {
        seen.push({ auth: s.handshake.auth, header: s.handshake.headers["x-token"] });
        next(s.handshake.auth.token === "t0k" ? undefined : new Error("no token"));
      });
      const { host, socket } = connectOn(hostFlavour("uni-h5"), srv.url, {
        auth: { token: "t0k" },
        extraHeaders: { "x-token": "t0k" },
        transports: ["websocket"],
      });
      try {
        await once(socket, "connect");
        assert.deepEqual(seen, [{ auth: { token: "t0k" }, header: undefined }]);
      } finally {
        socket.disconnect();
        host.state.dispose();
        await srv.close();
      }
    });
  });
}
