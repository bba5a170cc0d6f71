/**
 * Bad input at the Engine.IO HTTP layer (reference §4 "Security history", §2.1 error table,
 * §6 npm 6.6.13 limits): session ids, hostile `Origin`/`transport` values, polling bodies
 * that are too big, too slow, too fragmented, of the wrong type or crafted (v3 length
 * prefixes). Each test also checks that a client connected before the attack is still
 * served and that nothing went uncaught (see `support/security-harness.ts`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { engineError, http, pollingHandshake, rawExchange, rawUpgrade, wsFrame } from "./support/raw-peers.js";
import { underAttack, waitFor } from "./support/security-harness.js";
import { sleep } from "./support/servers.js";

/** A hung server must fail the test, not stall the suite. */
const LIMIT = { timeout: 30_000 };

const SIO = "/socket.io/";

test(
  "session and socket ids are crypto-random and unique, even with Math.random rigged (CVE-2017-16031)",
  LIMIT,
  async () => {
    await underAttack({}, async (t) => {
      const engineIds: string[] = [];
      const socketIds: string[] = [];
      t.io.on("connection", (socket) => socketIds.push(socket.id));
      const realRandom = Math.random;
      Math.random = () => 0.5; // an id built from Math.random would now repeat
      try {
        for (let i = 0; i < 300; i++) {
          const { sid } = await pollingHandshake(t.port);
          engineIds.push(sid);
          if (i % 10 === 0) {
            const post = await http(t.port, {
              method: "POST",
              path: `${SIO}?EIO=4&transport=polling&sid=${sid}`,
              body: "40",
            });
            assert.equal(post.status, 200);
          }
        }
      } finally {
        Math.random = realRandom;
      }
      await waitFor(() => socketIds.length === 30, "socket connections");
      for (const ids of [engineIds, socketIds]) {
        assert.equal(new Set(ids).size, ids.length, "no id repeats");
        for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{20}$/);
      }
      // 300 ids of 15 random bytes: every character position takes many values (a counter or
      // a timestamp would leave leading positions nearly constant).
      for (let pos = 0; pos < 20; pos++) {
        const seen = new Set(engineIds.map((id) => id[pos]));
        assert.ok(seen.size >= 30, `position ${pos} takes ${seen.size} values`);
      }
    });
  },
);

test(
  "Origin with control characters is refused with 400 code 3 when it reaches the engine (engine.io #517)",
  LIMIT,
  async () => {
    // Node's default parser already refuses these bytes; the lenient parser lets them through,
    // so the engine's own check (and its CORS reflection) is what is tested here.
    for (const cors of [undefined, { origin: true }, { origin: "*" }]) {
      await underAttack(
        cors ? { cors } : {},
        async (t) => {
          for (const origin of ["http://a\x01b", "http://a\x7fb", "http://a\x00b"]) {
            const answer = await rawHttpWithOrigin(t.port, `${SIO}?EIO=4&transport=polling`, origin);
            assert.equal(answer.status, 400, `polling, cors=${JSON.stringify(cors)}, origin=${JSON.stringify(origin)}`);
            assert.deepEqual(JSON.parse(answer.body), { code: 3, message: "Bad request" });
            assert.ok(!JSON.stringify(answer.headers).includes(origin), "the Origin is not reflected");
            const preflight = await rawHttpWithOrigin(t.port, `${SIO}?EIO=4&transport=polling`, origin, "OPTIONS");
            assert.ok(preflight.status === 400 || preflight.status === 204, `preflight answered ${preflight.status}`);
            assert.ok(
              !JSON.stringify(preflight.headers).includes(origin),
              "the Origin is not reflected in a preflight",
            );
            const upgrade = t.track(
              await rawUpgrade(t.port, `${SIO}?EIO=4&transport=websocket`, { extraLines: [`Origin: ${origin}`] }),
            );
            await upgrade.ended;
            assert.equal(upgrade.status, 400);
            assert.equal(upgrade.body, "Bad request");
          }
        },
        { insecureHTTPParser: true },
      );
    }
  },
);

test("Origin with control characters on Node's default parser: 400 from Node, no crash", LIMIT, async () => {
  await underAttack({ cors: { origin: true } }, async (t) => {
    const answer = await rawHttpWithOrigin(t.port, `${SIO}?EIO=4&transport=polling`, "http://a\x01b");
    assert.equal(answer.status, 400);
  });
});

test("transport values that name Object.prototype members are unknown transports (code 0)", LIMIT, async () => {
  await underAttack({}, async (t) => {
    for (const transport of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", ""]) {
      const answer = await http(t.port, { path: `${SIO}?EIO=4&transport=${transport}` });
      assert.equal(answer.status, 400, transport);
      assert.deepEqual(engineError(answer), { code: 0, message: "Transport unknown" });
    }
    const repeated = await http(t.port, { path: `${SIO}?EIO=4&transport=__proto__&transport=polling` });
    assert.equal(repeated.status, 400);
  });
});

test(
  "WebSocket upgrade with an unknown or non-WebSocket transport value is refused (CVE-2023-31125)",
  LIMIT,
  async () => {
    await underAttack({}, async (t) => {
      const cases: Array<[string, string]> = [
        ["constructor", "Transport unknown"],
        ["__proto__", "Transport unknown"],
        ["toString", "Transport unknown"],
        ["websocketx", "Transport unknown"],
        ["polling", "Bad request"],
      ];
      for (const [transport, message] of cases) {
        const peer = t.track(await rawUpgrade(t.port, `${SIO}?EIO=4&transport=${transport}`));
        await peer.ended;
        assert.equal(peer.status, 400, transport);
        assert.equal(peer.body, message, transport);
      }
      // Same with a session id: the probe for an existing polling session.
      const { sid } = await pollingHandshake(t.port);
      const peer = t.track(await rawUpgrade(t.port, `${SIO}?EIO=4&transport=constructor&sid=${sid}`));
      await peer.ended;
      assert.equal(peer.status, 400);
      const still = await http(t.port, {
        method: "POST",
        path: `${SIO}?EIO=4&transport=polling&sid=${sid}`,
        body: "40",
      });
      assert.equal(still.status, 200, "the polling session survives the refused upgrade");
    });
  },
);

test(
  "POST with Content-Type application/octet-stream on EIO4 is answered 400 and ends the session",
  LIMIT,
  async () => {
    await underAttack({}, async (t) => {
      const { sid } = await pollingHandshake(t.port);
      const path = `${SIO}?EIO=4&transport=polling&sid=${sid}`;
      const post = await http(t.port, {
        method: "POST",
        path,
        headers: { "Content-Type": "application/octet-stream" },
        body: Buffer.from([1, 2, 3, 4]),
      });
      assert.equal(post.status, 400);
      assert.equal(post.body, "", "a bare status, as engine.io 6.6.13");
      const after = await http(t.port, { path });
      assert.equal(after.status, 400);
      assert.equal(engineError(after).code, 1, "the session is gone");
      // A binary body that never ends must not hold the request open either.
      const { sid: sid2 } = await pollingHandshake(t.port);
      const stalled = await http(t.port, {
        method: "POST",
        path: `${SIO}?EIO=4&transport=polling&sid=${sid2}`,
        headers: { "Content-Type": "application/octet-stream", "Content-Length": "1000" },
        body: [Buffer.from([1, 2])],
        stallAfter: 1,
      });
      assert.equal(stalled.status, 400);
    });
  },
);

test("oversized polling bodies are answered 413 and end the session", LIMIT, async () => {
  await underAttack({ maxHttpBufferSize: 1000 }, async (t) => {
    // Declared too big (refused before reading), and chunked without a declared length.
    for (const body of ["4" + "x".repeat(2000), ["4", "x".repeat(600), "x".repeat(600)]]) {
      const { sid } = await pollingHandshake(t.port);
      const path = `${SIO}?EIO=4&transport=polling&sid=${sid}`;
      const post = await http(t.port, { method: "POST", path, body, pieceDelayMs: 5 });
      assert.equal(post.status, 413);
      assert.equal(post.body, "", "a bare status, as engine.io 6.6.13");
      const after = await http(t.port, { path });
      assert.equal(engineError(after).code, 1, "the session is gone");
    }
    // The limit is on bytes: exactly maxHttpBufferSize is fine.
    const { sid } = await pollingHandshake(t.port);
    const ok = await http(t.port, {
      method: "POST",
      path: `${SIO}?EIO=4&transport=polling&sid=${sid}`,
      body: "4" + "y".repeat(999),
    });
    assert.equal(ok.status, 200);
  });
});

test("a POST body that arrives too slowly is answered 408 (httpRequestBodyTimeout)", LIMIT, async () => {
  await underAttack({ httpRequestBodyTimeout: 200 }, async (t) => {
    const { sid } = await pollingHandshake(t.port);
    const path = `${SIO}?EIO=4&transport=polling&sid=${sid}`;
    const post = await http(t.port, { method: "POST", path, body: ["4hel", "lo"], stallAfter: 1 });
    assert.equal(post.status, 408);
    assert.equal(post.body, "", "a bare status, as engine.io 6.6.13");
    const after = await http(t.port, { path });
    assert.equal(engineError(after).code, 1, "the session is gone");
  });
});

test("a POST body in too many chunks is answered 413 (maxBufferedChunks)", LIMIT, async () => {
  await underAttack({ maxBufferedChunks: 5 }, async (t) => {
    const { sid } = await pollingHandshake(t.port);
    const path = `${SIO}?EIO=4&transport=polling&sid=${sid}`;
    const pieces = Array.from({ length: 40 }, (_, i) => (i === 0 ? "4" : "x"));
    const post = await http(t.port, { method: "POST", path, body: pieces, pieceDelayMs: 10 });
    assert.equal(post.status, 413);
    const after = await http(t.port, { path });
    assert.equal(engineError(after).code, 1, "the session is gone");
  });
});

test(
  "v3 polling payloads with giant length prefixes are a parse error, not a CPU or heap sink (CVE-2020-36048)",
  LIMIT,
  async () => {
    await underAttack({ allowEIO3: true }, async (t) => {
      const bodies = [
        "99999991:4" + "2".repeat(999_000),
        "9".repeat(5000) + ":4",
        "1:4".repeat(300_000),
        "0:".repeat(400_000),
        ":".repeat(900_000),
        "3:4ab" + "99999991:4" + "2".repeat(1000),
      ];
      for (const body of bodies) {
        const { sid } = await pollingHandshake(t.port, "EIO=3&transport=polling");
        const path = `${SIO}?EIO=3&transport=polling&sid=${sid}`;
        const post = await http(t.port, {
          method: "POST",
          path,
          body,
          headers: { "Content-Type": "text/plain;charset=UTF-8" },
        });
        assert.equal(post.status, 200, "the body is read, then judged");
        const after = await http(t.port, { path });
        assert.equal(after.status, 400, `${body.slice(0, 20)}… must close the session`);
        assert.equal(engineError(after).code, 1);
      }
      const { sid } = await pollingHandshake(t.port, "EIO=3&transport=polling");
      const tooBig = await http(t.port, {
        method: "POST",
        path: `${SIO}?EIO=3&transport=polling&sid=${sid}`,
        body: "99999991:4" + "2".repeat(1_100_000),
      });
      assert.equal(tooBig.status, 413);
    });
  },
);

test("malformed polling payloads end the session (200, then close), never the process", LIMIT, async () => {
  await underAttack({}, async (t) => {
    const bodies = [
      "4",
      "40\x1e4",
      "x",
      "\x1e\x1e",
      "40\x1e",
      "b",
      "b!!!!",
      "40\x1e5",
      "40\x1e0",
      "40\x1e2",
      "40\x1e" + '42["echo"]\x1e'.repeat(20_000),
    ];
    for (const body of bodies) {
      const { sid } = await pollingHandshake(t.port);
      const path = `${SIO}?EIO=4&transport=polling&sid=${sid}`;
      const post = await http(t.port, { method: "POST", path, body });
      assert.equal(post.status, 200, JSON.stringify(body.slice(0, 20)));
      assert.ok(await closedWithinPolls(t.port, path), `${JSON.stringify(body.slice(0, 20))} must end the session`);
    }
  });
});

test("overlapping polling requests and unknown methods end the session with a bare error", LIMIT, async () => {
  await underAttack({}, async (t) => {
    let { sid } = await pollingHandshake(t.port);
    const first = http(t.port, { path: `${SIO}?EIO=4&transport=polling&sid=${sid}` });
    await waitFor(() => t.io.engine.clients.get(sid)?.transport.writable === true, "the first long-poll");
    const second = await http(t.port, { path: `${SIO}?EIO=4&transport=polling&sid=${sid}` });
    assert.equal(second.status, 400);
    assert.equal((await first).body, "1", "the pending GET is told the session closed");
    ({ sid } = await pollingHandshake(t.port));
    const path = `${SIO}?EIO=4&transport=polling&sid=${sid}`;
    const stalled = http(t.port, { method: "POST", path, body: ["4a", "b"], stallAfter: 1 }).catch(() => undefined);
    await sleep(20);
    assert.equal((await http(t.port, { method: "POST", path, body: "4x" })).status, 400);
    void stalled;
    ({ sid } = await pollingHandshake(t.port));
    for (const method of ["PUT", "DELETE", "PATCH"]) {
      const answer = await http(t.port, { method, path: `${SIO}?EIO=4&transport=polling&sid=${sid}`, body: "4x" });
      assert.ok(answer.status === 500 || answer.status === 400, `${method}: ${answer.status}`);
    }
  });
});

test("abusive upgrade probes (concurrent, never finished, after the upgrade) are closed", LIMIT, async () => {
  await underAttack({ upgradeTimeout: 300 }, async (t) => {
    // A second probe while one is under way.
    let { sid } = await pollingHandshake(t.port);
    const probe = t.track(await rawUpgrade(t.port, `${SIO}?EIO=4&transport=websocket&sid=${sid}`));
    const extra = t.track(await rawUpgrade(t.port, `${SIO}?EIO=4&transport=websocket&sid=${sid}`));
    extra.send(wsFrame("2probe"));
    await extra.closeCode(); // a close frame (graceful) or the connection dropped
    // A probe that never finishes (upgradeTimeout).
    ({ sid } = await pollingHandshake(t.port));
    const idle = t.track(await rawUpgrade(t.port, `${SIO}?EIO=4&transport=websocket&sid=${sid}`));
    idle.send(wsFrame("2probe"));
    await idle.frame((f) => f.payload.toString() === "3probe");
    await idle.closeCode(); // a close frame (graceful) or the connection dropped
    // After a completed upgrade: polling is refused, a second WebSocket is closed.
    ({ sid } = await pollingHandshake(t.port));
    const done = t.track(await rawUpgrade(t.port, `${SIO}?EIO=4&transport=websocket&sid=${sid}`));
    done.send(wsFrame("2probe"));
    await done.frame((f) => f.payload.toString() === "3probe");
    done.send(wsFrame("5"));
    await waitFor(() => t.io.engine.clients.get(sid)?.transport.name === "websocket", "the upgrade");
    const polling = await http(t.port, { path: `${SIO}?EIO=4&transport=polling&sid=${sid}` });
    assert.equal(polling.status, 400);
    assert.deepEqual(engineError(polling), { code: 3, message: "Bad request" });
    const again = t.track(await rawUpgrade(t.port, `${SIO}?EIO=4&transport=websocket&sid=${sid}`));
    await again.closeCode(); // a close frame (graceful) or the connection dropped
    probe.destroy();
  });
});

test("upgrade whose EIO differs from the session's is refused with 400", LIMIT, async () => {
  await underAttack({ allowEIO3: true }, async (t) => {
    for (const [sessionEio, upgradeEio] of [
      [4, 3],
      [3, 4],
      [4, 5],
    ] as const) {
      const { sid } = await pollingHandshake(t.port, `EIO=${sessionEio}&transport=polling`);
      const peer = t.track(await rawUpgrade(t.port, `${SIO}?EIO=${upgradeEio}&transport=websocket&sid=${sid}`));
      await peer.ended;
      assert.equal(peer.status, 400, `session EIO=${sessionEio}, upgrade EIO=${upgradeEio}`);
      assert.equal(peer.body, "Bad request");
      const noop = sessionEio === 4 ? "6" : "1:6";
      const still = await http(t.port, {
        method: "POST",
        path: `${SIO}?EIO=${sessionEio}&transport=polling&sid=${sid}`,
        body: noop,
      });
      assert.equal(still.status, 200, "the polling session is untouched");
    }
  });
});

/** A GET/OPTIONS with a raw `Origin` (bytes Node's http client refuses to send). */
async function rawHttpWithOrigin(
  port: number,
  path: string,
  origin: string,
  method = "GET",
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const text = await rawExchange(
    port,
    Buffer.from(
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${origin}\r\nConnection: close\r\n\r\n`,
      "latin1",
    ),
  );
  const end = text.indexOf("\r\n\r\n");
  const lines = text.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = text.slice(end + 4);
  if (headers["transfer-encoding"] === "chunked") {
    let out = "";
    for (let i = 0; ;) {
      const eol = body.indexOf("\r\n", i);
      const size = parseInt(body.slice(i, eol), 16);
      if (!size) break;
      out += body.slice(eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
    body = out;
  }
  return { status: Number(lines[0]!.split(" ")[1]), headers, body };
}

/** Polls a closing session until it reports its close (`1`) or is gone (400 code 1). */
async function closedWithinPolls(port: number, path: string): Promise<boolean> {
  for (let i = 0; i < 3; i++) {
    const answer = await http(port, { path });
    if (answer.status === 400) return engineError(answer).code === 1;
    if (answer.body === "1" || answer.body.endsWith("\x1e1")) return true;
  }
  return false;
}
