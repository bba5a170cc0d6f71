/**
 * Bad input at the WebSocket layer (reference §4 "Security history": ws and engine.io
 * advisories): oversized and malformed frames, RSV bits right after the handshake,
 * fragment floods, hostile handshake headers and stray upgrades on other paths. Frames are
 * written by hand over `node:net`, since no real client sends them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { WebSocket } from "ws";
import {
  EioPeer,
  http,
  pollingHandshake,
  rawExchange,
  rawUpgrade,
  sendUpgrade,
  upgradeLines,
  wsFrame,
} from "./support/raw-peers.js";
import { underAttack } from "./support/security-harness.js";
import { sleep } from "./support/servers.js";

/** A hung server must fail the test, not stall the suite. */
const LIMIT = { timeout: 30_000 };

const WS_PATH = "/socket.io/?EIO=4&transport=websocket";

test("a WebSocket message over maxHttpBufferSize is closed with 1009 (CVE-2016-10542)", LIMIT, async () => {
  await underAttack({ maxHttpBufferSize: 100_000 }, async (t) => {
    // Through a real client: the whole message arrives.
    const peer = t.track(await EioPeer.open(t.port));
    peer.send("4" + "x".repeat(200_000));
    assert.equal(await peer.closedWithin(), 1009);
    // By hand: only a header declaring a huge length (the payload never comes).
    for (const declaredLength of [100_001n, 2n ** 40n, 2n ** 63n - 1n]) {
      const raw = t.track(await rawUpgrade(t.port, WS_PATH));
      assert.equal(raw.status, 101);
      raw.send(wsFrame("4", { declaredLength }));
      assert.equal(await raw.closeCode(), 1009, `declared ${declaredLength}`);
      await raw.ended;
    }
    // A message exactly at the limit is fine.
    const ok = t.track((await EioPeer.socketio(t.port)).peer);
    ok.send("42" + JSON.stringify(["echo", "y".repeat(100_000 - 20)]));
    ok.send('421["echo","fine"]');
    assert.ok(await ok.next((m) => m === '431["fine"]'));
  });
});

test("a compressed WebSocket message that inflates past maxHttpBufferSize is closed with 1009", LIMIT, async () => {
  await underAttack({ maxHttpBufferSize: 100_000, perMessageDeflate: true }, async (t) => {
    // ~1 kB on the wire, 2 MB once inflated.
    const ws = new WebSocket(`ws://127.0.0.1:${t.port}${WS_PATH}`, { perMessageDeflate: { threshold: 0 } });
    const closed = new Promise<number>((resolve) => ws.once("close", (code: number) => resolve(code)));
    ws.on("error", () => undefined);
    await new Promise((resolve) => ws.once("message", resolve));
    ws.send("4" + "\0".repeat(2_000_000));
    assert.equal(await closed, 1009);
  });
});

test("a frame with RSV2/RSV3 set right after the handshake is a clean close (CVE-2022-21676)", LIMIT, async () => {
  await underAttack({}, async (t) => {
    for (const rsv of [0x20, 0x10, 0x30, 0x40]) {
      // In the same TCP write as the upgrade request (the frame reaches ws as `head`)…
      const sameWrite = t.track(await rawUpgrade(t.port, WS_PATH, { trailing: wsFrame("2probe", { rsv }) }));
      await sameWrite.ended;
      assert.equal(sameWrite.status, 101);
      assert.deepEqual(closeCodes(sameWrite.frames), [1002], `rsv ${rsv} in head`);
      // …and right after the 101.
      const after = t.track(await rawUpgrade(t.port, WS_PATH));
      after.send(wsFrame("40", { rsv }));
      await after.ended;
      assert.deepEqual(closeCodes(after.frames), [1002], `rsv ${rsv} after 101`);
    }
    // On the probe of a polling session: the probe dies, the session lives on.
    const { sid } = await pollingHandshake(t.port);
    const probe = t.track(
      await rawUpgrade(t.port, `${WS_PATH}&sid=${sid}`, { trailing: wsFrame("2probe", { rsv: 0x20 }) }),
    );
    await probe.ended;
    const post = await http(t.port, {
      method: "POST",
      path: `/socket.io/?EIO=4&transport=polling&sid=${sid}`,
      body: "40",
    });
    assert.equal(post.status, 200, "the polling session survives its broken probe");
  });
});

test(
  "protocol-violating frames (bad opcodes, unmasked, oversized control frames) are clean closes",
  LIMIT,
  async () => {
    await underAttack({}, async (t) => {
      const unmasked = Buffer.from([0x81, 0x02, 0x34, 0x30]); // "40" without a mask
      const frames: Array<[string, Buffer, number]> = [
        ["reserved data opcode", wsFrame("x", { opcode: 3 }), 1002],
        ["reserved control opcode", wsFrame("x", { opcode: 0xb }), 1002],
        ["ping longer than 125 bytes", wsFrame("x".repeat(126), { opcode: 9 }), 1002],
        ["fragmented control frame", wsFrame("x", { opcode: 9, fin: false }), 1002],
        ["continuation of nothing", wsFrame("x", { opcode: 0 }), 1002],
        ["invalid UTF-8 text", wsFrame(Buffer.from([0x34, 0xff, 0xfe])), 1007],
        ["unmasked client frame", unmasked, 1002],
      ];
      for (const [label, frame, code] of frames) {
        const raw = t.track(await rawUpgrade(t.port, WS_PATH));
        raw.send(frame);
        await raw.ended;
        assert.deepEqual(closeCodes(raw.frames), [code], label);
      }
    });
  },
);

test("a flood of tiny or empty fragments is closed (CVE-2026-48779)", LIMIT, async () => {
  await underAttack({}, async (t) => {
    for (const piece of ["x", ""]) {
      const raw = t.track(await rawUpgrade(t.port, WS_PATH));
      const batch: Buffer[] = [wsFrame("4", { fin: false })];
      for (let i = 0; i < 40_000; i++) batch.push(wsFrame(piece, { opcode: 0, fin: false }));
      raw.send(Buffer.concat(batch));
      await raw.ended;
      assert.deepEqual(closeCodes(raw.frames), [1008], "Too many message fragments");
    }
    // A message in a reasonable number of fragments is still delivered.
    const { peer } = await EioPeer.socketio(t.port);
    t.track(peer);
    const text = '421["echo","fragmented"]';
    peer.ws.send(text.slice(0, 5), { fin: false });
    peer.ws.send(text.slice(5, 10), { fin: false });
    peer.ws.send(text.slice(10), { fin: true });
    assert.ok(await peer.next((m) => m === '431["fragmented"]'));
  });
});

test(
  "Sec-WebSocket-Extensions naming Object.prototype members does not crash (GHSA-5v72-xg48-5rpm)",
  LIMIT,
  async () => {
    // [header value, status without permessage-deflate, status with it] (same as socket.io 4.8.4)
    const cases: Array<[string, number, number]> = [
      ["constructor", 101, 101],
      ["__proto__", 101, 101],
      ["hasOwnProperty", 101, 101],
      ["permessage-deflate; constructor", 101, 400],
      ["permessage-deflate; __proto__=1", 101, 400],
      ["permessage-deflate; server_max_window_bits=constructor", 101, 400],
      ["constructor; permessage-deflate, __proto__", 101, 101],
      ["permessage-deflate; client_max_window_bits; client_max_window_bits", 101, 400],
    ];
    for (const perMessageDeflate of [false, true]) {
      await underAttack({ perMessageDeflate }, async (t) => {
        for (const [value, plain, deflate] of cases) {
          const raw = t.track(
            await rawUpgrade(t.port, WS_PATH, { extraLines: [`Sec-WebSocket-Extensions: ${value}`] }),
          );
          assert.equal(raw.status, perMessageDeflate ? deflate : plain, value);
          if (raw.status === 101) {
            assert.equal(raw.headers["sec-websocket-extensions"], undefined, "nothing negotiated");
            await raw.frame((f) => f.opcode === 1 && f.payload.toString().startsWith("0{"));
          } else assert.equal(raw.body, "Invalid or unacceptable Sec-WebSocket-Extensions header");
          raw.destroy();
        }
      });
    }
  },
);

test("Sec-WebSocket-Protocol with many spaces is answered at once (CVE-2021-32640)", LIMIT, async () => {
  await underAttack({}, async (t) => {
    // Node caps the whole header block at 16 KiB; stay just under it.
    for (const value of ["b" + " ".repeat(15_000) + "x", "a," + " ".repeat(15_000) + ",b", " ".repeat(15_000)]) {
      const raw = t.track(await rawUpgrade(t.port, WS_PATH, { extraLines: [`Sec-WebSocket-Protocol: ${value}`] }));
      await raw.ended;
      assert.equal(raw.status, 400);
      assert.equal(raw.body, "Invalid Sec-WebSocket-Protocol header");
    }
  });
});

test("an upgrade with more headers than maxHeadersCount is refused, not a crash (CVE-2024-37890)", LIMIT, async () => {
  await underAttack({}, async (t) => {
    const filler = Array.from({ length: 2100 }, (_, i) => `x${i % 10}: 1`);
    // The required headers after the filler are dropped by Node (maxHeadersCount = 2000).
    for (const headerLines of [
      [`Host: 127.0.0.1:${t.port}`, ...filler, ...upgradeLines(t.port).slice(1)],
      [...upgradeLines(t.port).slice(0, 3), ...filler, ...upgradeLines(t.port).slice(3)],
    ]) {
      const raw = t.track(await rawUpgrade(t.port, WS_PATH, { headerLines }));
      await raw.ended;
      assert.equal(raw.status, 400);
    }
    // Missing or malformed key / version, without any filler.
    const lines = upgradeLines(t.port);
    for (const headerLines of [
      lines.filter((l) => !l.startsWith("Sec-WebSocket-Key")),
      lines.map((l) => (l.startsWith("Sec-WebSocket-Key") ? "Sec-WebSocket-Key: nope" : l)),
      lines.map((l) => (l.startsWith("Sec-WebSocket-Version") ? "Sec-WebSocket-Version: 99" : l)),
    ]) {
      const raw = t.track(await rawUpgrade(t.port, WS_PATH, { headerLines }));
      await raw.ended;
      assert.equal(raw.status, 400);
    }
  });
});

test(
  "an upgrade on another path (h2c) is dropped after destroyUpgradeTimeout, and a peer reset does not crash (CVE-2022-41940)",
  LIMIT,
  async () => {
    await underAttack({ destroyUpgradeTimeout: 100 }, async (t) => {
      const h2c = [
        `Host: 127.0.0.1:${t.port}`,
        "Connection: Upgrade, HTTP2-Settings",
        "Upgrade: h2c",
        "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA",
      ];
      // Left alone: the server ends it.
      const idle = t.track(await sendUpgrade(t.port, "/other", { headerLines: h2c }));
      await Promise.race([idle.ended, sleep(3000).then(() => assert.fail("the stray upgrade was never ended"))]);
      // Reset by the peer before the timer fires, and right when it fires.
      for (const delay of [0, 50, 100, 120]) {
        const reset = await sendUpgrade(t.port, "/other", { headerLines: h2c });
        await sleep(delay);
        reset.socket.resetAndDestroy();
      }
      await sleep(250);
      // Same request on the engine path: not a WebSocket upgrade, refused.
      const onPath = t.track(await sendUpgrade(t.port, WS_PATH, { headerLines: h2c }));
      await onPath.head();
      await onPath.ended;
      assert.equal(onPath.status, 400);
      // A raw request with a bogus Upgrade on another path, answered by Node's default handler.
      await rawExchange(t.port, `GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: foo\r\n\r\n`);
    });
  },
);

test("malformed Engine.IO packets on a WebSocket end the session, nothing else", LIMIT, async () => {
  await underAttack({}, async (t) => {
    const bad: Array<string | Buffer> = [
      "",
      "9",
      "x",
      "0",
      "5",
      "2",
      "4",
      "b",
      "b4!!!!",
      Buffer.alloc(0),
      Buffer.from([0xff, 0x00]),
    ];
    for (const packet of bad) {
      const { peer } = await EioPeer.socketio(t.port);
      t.track(peer);
      peer.send(packet);
      await peer.closedWithin().catch((err: Error) => assert.fail(`${JSON.stringify(packet)}: ${err.message}`));
    }
  });
  // A v3 session: empty binary frame, unknown type byte, empty message.
  await underAttack({ allowEIO3: true }, async (t) => {
    for (const packet of [Buffer.alloc(0), Buffer.from([9, 1]), "9", "", "4"]) {
      const peer = t.track(await EioPeer.open(t.port, { eio: 3 }));
      peer.send(packet);
      await peer.closedWithin().catch((err: Error) => assert.fail(`v3 ${JSON.stringify(packet)}: ${err.message}`));
    }
  });
});

test("a WebSocket closed by the client mid-handshake or mid-message leaves no trace", LIMIT, async () => {
  await underAttack({}, async (t) => {
    for (let i = 0; i < 20; i++) {
      const raw = await sendUpgrade(t.port, WS_PATH);
      if (i % 2) raw.socket.resetAndDestroy();
      else raw.socket.destroy();
      const partial = t.track(await rawUpgrade(t.port, WS_PATH));
      partial.send(wsFrame("4" + "x".repeat(1000)).subarray(0, 300));
      partial.socket.resetAndDestroy();
    }
    const ws = new WebSocket(`ws://127.0.0.1:${t.port}${WS_PATH}`);
    ws.on("error", () => undefined);
    ws.on("upgrade", () => ws.terminate());
    await new Promise((r) => ws.once("close", r));
    await sleep(50);
    assert.equal(t.io.engine.clientsCount, 1, "only the healthy client's session is left");
  });
});

test("a client that resets while an asynchronous allowRequest decides leaves no trace", LIMIT, async () => {
  const allowRequest = (_req: unknown, cb: (err: string | null, ok: boolean) => void): void => {
    setTimeout(() => cb(null, true), 50);
  };
  await underAttack({ allowRequest }, async (t) => {
    for (let i = 0; i < 10; i++) {
      const upgrade = await sendUpgrade(t.port, WS_PATH);
      const poll = await sendUpgrade(t.port, "/socket.io/?EIO=4&transport=polling", {
        headerLines: [`Host: 127.0.0.1:${t.port}`],
      });
      await sleep(10);
      upgrade.socket.resetAndDestroy();
      poll.socket.resetAndDestroy();
    }
    await sleep(150);
    // No WebSocket session was created for a reset connection (polling sessions that were
    // created for a vanished GET expire by ping timeout like any other).
    const websockets = [...t.io.engine.clients.values()].filter((s) => s.transport.name === "websocket");
    assert.equal(websockets.length, 1, "only the healthy client's");
  });
});

/** Codes of the close frames the server sent. */
function closeCodes(frames: Array<{ opcode: number; payload: Buffer }>): number[] {
  return frames.filter((f) => f.opcode === 8).map((f) => f.payload.readUInt16BE(0));
}
