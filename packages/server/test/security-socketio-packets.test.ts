/**
 * Bad input at the Socket.IO packet layer (reference §4 "Security history":
 * socket.io-parser and socket.io advisories, §7 note 10): giant ack ids and attachment
 * counts, forged placeholders, non-string and reserved event names, `error` events, deep
 * nesting and prototype-polluting keys in events, query strings and `auth`. Packets are
 * written by hand over the `ws` client; the official client would never send them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Socket as ServerSocket } from "@omnio/server";
import { EioPeer, http, pollingHandshake } from "./support/raw-peers.js";
import { underAttack, waitFor, type Target } from "./support/security-harness.js";

/** A hung server must fail the test, not stall the suite. */
const LIMIT = { timeout: 30_000 };

const POLLUTION_KEYS = ["polluted", "isAdmin", "hacked"];

/** Fails if any test payload managed to write to `Object.prototype`. */
function assertPrototypeClean(): void {
  for (const key of POLLUTION_KEYS) {
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, key), false, `Object.prototype.${key} was set`);
    assert.equal(({} as Record<string, unknown>)[key], undefined);
  }
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
}

/** Opens a raw Socket.IO connection, sends `packets`, expects the server to close it. */
async function expectClosedBy(t: Target, packets: Array<string | Buffer>, label: string): Promise<void> {
  const { peer } = await EioPeer.socketio(t.port);
  t.track(peer);
  for (const p of packets) peer.send(p);
  await peer.closedWithin(3000).catch((err: Error) => assert.fail(`${label}: ${err.message}`));
}

test("a 100k-digit ack id or attachment count closes the connection (CVE-2020-36049)", LIMIT, async () => {
  await underAttack({}, async (t) => {
    const digits = "1".repeat(100_000);
    for (const packet of [
      `42${digits}["echo","x"]`,
      `43${digits}["x"]`,
      `5${digits}-["echo",{"_placeholder":true,"num":0}]`,
      `6${digits}-1[]`,
      `42/nope,${digits}["x"]`,
    ]) {
      await expectClosedBy(t, ["4" + packet], packet.slice(0, 12));
    }
    // Also over long-polling, several in one body.
    const { sid } = await pollingHandshake(t.port);
    const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    assert.equal((await http(t.port, { method: "POST", path, body: "40" })).status, 200);
    const post = await http(t.port, {
      method: "POST",
      path,
      body: `442${digits}["echo","x"]\x1e442${digits}["echo","y"]`,
    });
    assert.equal(post.status, 200);
    // Closed gracefully: queued packets (the CONNECT reply) first, then the close packet.
    let bodies = "";
    for (let i = 0; i < 3 && !bodies.endsWith("\x1e1"); i++) bodies += "\x1e" + (await http(t.port, { path })).body;
    assert.ok(bodies.endsWith("\x1e1"), `the session is closed (got ${JSON.stringify(bodies.slice(-60))})`);
    assert.ok(!bodies.includes("\x1e43"), "no ack for the forged packets");
    assert.equal((await http(t.port, { path })).status, 400, "and gone");
    // The largest ack id that stays exact is accepted and answered.
    const { peer } = await EioPeer.socketio(t.port);
    t.track(peer);
    peer.send('42999999999999999["echo","big id"]');
    assert.ok(await peer.next((m) => m === '43999999999999999["big id"]'));
  });
});

test("a placeholder whose num is not a valid index closes the connection (CVE-2022-2421)", LIMIT, async () => {
  await underAttack({}, async (t) => {
    let handled = 0;
    t.io.on("connection", (socket) => socket.on("hello", () => handled++));
    const nums = [
      '"splice"',
      '"toString"',
      '"__proto__"',
      '"constructor"',
      '"0"',
      "1.5",
      "-1",
      "1",
      "null",
      "true",
      "{}",
      "[0]",
      "1e400",
    ];
    for (const num of nums) {
      await expectClosedBy(
        t,
        [`451-["hello",{"_placeholder":true,"num":${num}}]`, Buffer.from([1, 2, 3])],
        `num ${num}`,
      );
    }
    await expectClosedBy(t, ['451-["hello",{"_placeholder":true}]', Buffer.from([1])], "num missing");
    await expectClosedBy(t, ['461-0[{"_placeholder":true,"num":"splice"}]', Buffer.from([1])], "binary ack");
    assert.equal(handled, 0, "no forged event reached a handler");
    // A correct placeholder still works.
    const { peer } = await EioPeer.socketio(t.port);
    t.track(peer);
    peer.send('451-1["echo",{"_placeholder":true,"num":0}]');
    peer.send(Buffer.from([9, 8, 7]));
    assert.ok(await peer.next((m) => m === '461-1[{"_placeholder":true,"num":0}]'));
    assertPrototypeClean();
  });
});

test("an event name that is not a string or number closes the connection (CVE-2023-32695)", LIMIT, async () => {
  await underAttack({}, async (t) => {
    const errors: string[] = [];
    t.io.on("connection", (socket) => socket.on("error", (err: Error) => errors.push(err.message)));
    const payloads = [
      '[{"toString":"foo"}]',
      '[{"toString":"foo","valueOf":"bar"}]',
      "[null]",
      '[["echo"]]',
      "[true]",
      "[]",
      "{}",
      '"echo"',
      "",
      "[1e400",
      '[{"__proto__":{"toString":"x"}}]',
    ];
    for (const payload of payloads) await expectClosedBy(t, ["42" + payload], `42${payload}`);
    await expectClosedBy(
      t,
      ['451-[{"toString":"foo"},{"_placeholder":true,"num":0}]', Buffer.from([1])],
      "binary, object name",
    );
    assert.ok(errors.length >= payloads.length, "each offending socket got an error event");
  });
});

test(
  "reserved event names from a client close the connection; `error` is a legal event and never crashes (CVE-2024-38355)",
  LIMIT,
  async () => {
    await underAttack({}, async (t) => {
      for (const name of ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]) {
        await expectClosedBy(t, [`42["${name}","x"]`], name);
      }
      // `error` without any user listener…
      const { peer } = await EioPeer.socketio(t.port);
      t.track(peer);
      peer.send('42["error","boom"]');
      peer.send('42["error"]');
      peer.send('42["error",{"message":"x"}]');
      peer.send('451-["error",{"_placeholder":true,"num":0}]');
      peer.send(Buffer.from([1]));
      peer.send('421["echo","still open"]');
      assert.ok(await peer.next((m) => m === '431["still open"]'));
      // …and with one: it receives what the client sent.
      const received: unknown[] = [];
      t.io.on("connection", (socket) => socket.on("error", (value: unknown) => received.push(value)));
      const second = (await EioPeer.socketio(t.port)).peer;
      t.track(second);
      second.send('42["error","boom"]');
      second.send('421["echo","still open"]');
      assert.ok(await second.next((m) => m === '431["still open"]'));
      assert.deepEqual(received, ["boom"]);
    });
  },
);

test(
  "a huge declared attachment count or too many attachments closes the connection (CVE-2026-33151)",
  LIMIT,
  async () => {
    await underAttack({}, async (t) => {
      const errors: string[] = [];
      t.io.on("connection", (socket) => socket.on("error", (err: Error) => errors.push(err.message)));
      for (const count of ["999999", "11", "1000000", "9999999999"]) {
        const { peer } = await EioPeer.socketio(t.port);
        t.track(peer);
        peer.send(`45${count}-["echo",{"_placeholder":true,"num":0}]`);
        // Then stream attachment frames as if the count were honoured.
        for (let i = 0; i < 50; i++) peer.send(Buffer.alloc(10_000, i));
        await peer.closedWithin();
      }
      assert.ok(
        errors.some((m) => /too many attachments/i.test(m)),
        `errors: ${errors.join(" | ")}`,
      );
      // Exactly maxAttachments is fine; one frame more than declared is not.
      const { peer } = await EioPeer.socketio(t.port);
      t.track(peer);
      const placeholders = Array.from({ length: 10 }, (_, i) => `{"_placeholder":true,"num":${i}}`).join(",");
      peer.send(`4510-1["echo",[${placeholders}]]`);
      for (let i = 0; i < 10; i++) peer.send(Buffer.from([i]));
      assert.ok(await peer.next((m) => typeof m === "string" && m.startsWith("4610-1[")));
      await expectClosedBy(
        t,
        ['451-["echo",{"_placeholder":true,"num":0}]', Buffer.from([1]), Buffer.from([2])],
        "one frame too many",
      );
      await expectClosedBy(
        t,
        ['452-["echo",{"_placeholder":true,"num":0}]', Buffer.from([1]), '42["echo","text"]'],
        "text while attachments are due",
      );
      await expectClosedBy(t, [Buffer.from([1, 2, 3])], "an attachment out of the blue");
    });
  },
);

test("maxAttachments is honoured when set lower", LIMIT, async () => {
  await underAttack({ maxAttachments: 2 }, async (t) => {
    await expectClosedBy(t, ['453-["echo",{"_placeholder":true,"num":0}]', Buffer.from([1])], "maxAttachments 2");
    const { peer } = await EioPeer.socketio(t.port);
    t.track(peer);
    peer.send('452-1["echo",[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]]');
    peer.send(Buffer.from([1]));
    peer.send(Buffer.from([2]));
    assert.ok(await peer.next((m) => typeof m === "string" && m.startsWith("462-1[")));
  });
});

/** `"closed"` when `EioPeer.next` failed because the server closed the connection; rethrows otherwise. */
function closedOr(err: Error): string {
  if (err.message === "closed before the expected message") return "closed";
  throw err;
}

test("deeply nested JSON in an event is either handled or refused, never a crash", LIMIT, async () => {
  await underAttack({}, async (t) => {
    const depths: number[] = [];
    t.io.on("connection", (socket) =>
      socket.on("deep", (value: unknown, ack: (d: number) => void) => {
        let depth = 0;
        for (let v = value; Array.isArray(v); v = v[0]) depth++;
        depths.push(depth);
        ack(depth);
      }),
    );
    const n = 400_000;
    const { peer } = await EioPeer.socketio(t.port);
    t.track(peer);
    peer.send(`421["deep",${"[".repeat(n)}${"]".repeat(n)}]`);
    const answer = await peer.next((m) => typeof m === "string" && m.startsWith("431")).catch(closedOr);
    assert.ok(answer === `431[${n}]` || answer === "closed", String(answer));
    // Objects too, and with a binary attachment (placeholders are searched in the payload).
    const objects = (await EioPeer.socketio(t.port)).peer;
    t.track(objects);
    objects.send(`422["deep",${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}]`);
    const objectsAnswer = await objects.next((m) => typeof m === "string" && m.startsWith("432")).catch(closedOr);
    assert.ok(objectsAnswer === "432[0]" || objectsAnswer === "closed", String(objectsAnswer));
    await expectClosedBy(
      t,
      [`451-["deep",{"_placeholder":true,"num":0},${"[".repeat(n)}${"]".repeat(n)}]`, Buffer.from([1])],
      "deep binary",
    );
    await expectClosedBy(
      t,
      [`451-["deep",${"[".repeat(5000)}{"_placeholder":true,"num":0}${"]".repeat(5000)}]`, Buffer.from([1])],
      "deep placeholder",
    );
  });
});

test("prototype-polluting keys in events stay plain data, with and without binary", LIMIT, async () => {
  await underAttack({}, async (t) => {
    const seen: Array<Record<string, unknown>> = [];
    t.io.on("connection", (socket) =>
      socket.on("pp", (value: Record<string, unknown>, ack: (v: unknown) => void) => {
        seen.push(value);
        ack(value);
      }),
    );
    const { peer } = await EioPeer.socketio(t.port);
    t.track(peer);
    const evil =
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"isAdmin":true}},"prototype":{"hacked":1}}';
    peer.send(`421["pp",${evil}]`);
    const echoed = (await peer.next((m) => typeof m === "string" && m.startsWith("431"))) as string;
    assert.deepEqual(JSON.parse(echoed.slice(3)), [JSON.parse(evil)], "the keys travel back as plain data");
    const plain = seen[0]!;
    assert.equal(Object.getPrototypeOf(plain), Object.prototype, "the __proto__ key did not replace the prototype");
    assert.deepEqual(Object.keys(plain).sort(), ["__proto__", "constructor", "prototype"]);
    assertPrototypeClean();

    // With binary: the placeholder sits under the "__proto__" key.
    const evilBinary =
      '{"__proto__":{"polluted":"yes","buf":{"_placeholder":true,"num":0}},"constructor":{"prototype":{"isAdmin":{"_placeholder":true,"num":1}}}}';
    peer.send(`452-2["pp",${evilBinary}]`);
    peer.send(Buffer.from([1, 2]));
    peer.send(Buffer.from([3, 4]));
    const head = (await peer.next((m) => typeof m === "string" && m.startsWith("462-2"))) as string;
    assert.ok(head.includes('"__proto__":{"polluted":"yes","buf":{"_placeholder":true,"num":0}}'), head);
    const withBinary = seen[1]!;
    assert.equal(Object.getPrototypeOf(withBinary), Object.prototype);
    const protoKey = Object.getOwnPropertyDescriptor(withBinary, "__proto__")?.value as { buf: unknown };
    assert.deepEqual([...(protoKey.buf as Uint8Array)], [1, 2]);
    assertPrototypeClean();

    // Event names and namespaces named after Object.prototype members.
    for (const name of ["__proto__", "constructor", "hasOwnProperty", "toString", "valueOf", "prototype"])
      peer.send(`42["${name}",{"polluted":1}]`);
    for (const nsp of ["/__proto__", "/constructor", "/hasOwnProperty", "/toString"]) {
      peer.send(`40${nsp},`);
      assert.ok(await peer.next((m) => m === `44${nsp},{"message":"Invalid namespace"}`), nsp);
    }
    peer.send('423["echo","alive"]');
    assert.ok(await peer.next((m) => m === '433["alive"]'));
    assertPrototypeClean();
  });
});

/**
 * `handshake.query` has no prototype at all. `handshake.auth` of a v5 client keeps the plain
 * prototype socket.io gives it (it is the decoded CONNECT payload there, and applications
 * call `auth.hasOwnProperty` or deep-compare it with literals); what matters is that nothing
 * the client sent becomes inherited: its `__proto__` key stays an own, plain key.
 */
function assertNothingInherited(map: Record<string, unknown>, label: string): void {
  const proto = Object.getPrototypeOf(map) as unknown;
  assert.ok(proto === null || proto === Object.prototype, `${label}: prototype is null or Object.prototype`);
  for (const key of [...POLLUTION_KEYS, "buf"])
    assert.equal(key in map && !Object.hasOwn(map, key), false, `${label}: ${key} is inherited`);
}

test(
  "prototype-polluting query keys and auth leave Object.prototype untouched; nothing becomes inherited",
  LIMIT,
  async () => {
    await underAttack({}, async (t) => {
      const sockets: ServerSocket[] = [];
      t.io.on("connection", (socket) => sockets.push(socket));
      const query =
        "&__proto__=polluted&constructor=x&toString=y&hasOwnProperty=z&__proto__%5Bpolluted%5D=yes&prototype=1";
      const authJson = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"isAdmin":true}},"token":"t"}';
      const peer = t.track(await EioPeer.open(t.port, { query }));
      peer.send(`40${authJson}`);
      await peer.next((m) => typeof m === "string" && m.startsWith('40{"sid"'));
      await waitFor(() => sockets.length === 1, "the connection");
      const hs = sockets[0]!.handshake;
      assert.equal(Object.getPrototypeOf(hs.query), null, "query has no prototype");
      assert.equal(hs.query["__proto__"], "polluted");
      assert.equal(hs.query["constructor"], "x");
      assert.equal(hs.query["toString"], "y");
      assert.equal(hs.query["__proto__[polluted]"], "yes");
      assertNothingInherited(hs.query, "query");
      assertNothingInherited(hs.auth, "auth");
      assert.equal(Object.getPrototypeOf(hs.auth), Object.prototype, "auth is a plain object, as in socket.io");
      assert.deepEqual(Object.keys(hs.auth), ["__proto__", "constructor", "token"]);
      assert.deepEqual(Object.getOwnPropertyDescriptor(hs.auth, "__proto__")?.value, { polluted: "yes" });
      assert.equal(hs.auth["token"], "t");
      assertPrototypeClean();
      // Over polling too, with the query in the handshake URL.
      const { sid } = await pollingHandshake(t.port, `EIO=4&transport=polling${query}`);
      const post = await http(t.port, {
        method: "POST",
        path: `/socket.io/?EIO=4&transport=polling&sid=${sid}`,
        body: `40${authJson}`,
      });
      assert.equal(post.status, 200);
      await waitFor(() => sockets.length === 2, "the polling connection");
      assert.equal(Object.getPrototypeOf(sockets[1]!.handshake.query), null);
      assertNothingInherited(sockets[1]!.handshake.auth, "polling auth");
      assert.equal(Object.hasOwn(sockets[1]!.handshake.auth, "__proto__"), true);
      assertPrototypeClean();
    });
  },
);

test("a v2 (EIO3) namespace query becomes an auth map without prototype", LIMIT, async () => {
  await underAttack({ allowEIO3: true }, async (t) => {
    const auths: Array<Record<string, unknown>> = [];
    t.io.of("/admin").on("connection", (socket) => auths.push(socket.handshake.auth));
    const peer = t.track(await EioPeer.open(t.port, { eio: 3 }));
    await peer.next((m) => m === "40");
    peer.send("40/admin?__proto__=x&constructor=y&toString=z&token=t,");
    assert.ok(await peer.next((m) => m === "40/admin,"));
    await waitFor(() => auths.length === 1, "the /admin connection");
    const auth = auths[0]!;
    assert.equal(Object.getPrototypeOf(auth), null);
    assert.deepEqual(Object.keys(auth).sort(), ["__proto__", "constructor", "toString", "token"]);
    assert.equal(auth["__proto__"], "x");
    assert.equal(auth["token"], "t");
    assertPrototypeClean();
  });
});
