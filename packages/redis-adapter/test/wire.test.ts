/** The pure parts: wire codec (bad input never throws), channel names, options, stream ids. */
import assert from "node:assert/strict";
import { test } from "node:test";
import msgpack from "notepack.io";
import { Redis } from "ioredis";
import { createAdapter, REDIS_ADAPTER_DEFAULTS } from "@omnio/redis-adapter";
import {
  channelsFor,
  decodeBroadcast,
  decodeRequest,
  encodeBroadcast,
  roomChannel,
  roomOfChannel,
} from "../dist/wire.js";
import { resolveOptions } from "../dist/options.js";
import { compareStreamIds, isStreamId } from "../dist/stream-ids.js";

test("channel names are the official adapter's", () => {
  const ch = channelsFor("socket.io", "/", "abc");
  assert.deepEqual(ch, {
    broadcast: "socket.io#/#",
    request: "socket.io-request#/#",
    response: "socket.io-response#/#",
    ownResponse: "socket.io-response#/#abc#",
  });
  assert.equal(roomChannel(ch, "room-1"), "socket.io#/#room-1#");
  assert.equal(roomChannel(channelsFor("k", "/admin", "u"), 42), "k#/admin#42#");
  assert.equal(roomOfChannel(ch, "socket.io#/#room-1#"), "room-1");
  assert.equal(roomOfChannel(ch, "socket.io#/#"), "");
  assert.equal(roomOfChannel(ch, "socket.io#/admin#x#"), undefined);
});

test("a broadcast is msgpack [uid, packet, {rooms, except, flags}] and decodes back", () => {
  const packet = { type: 2, nsp: "/", data: ["ev", Buffer.from([1, 2]), { a: 1 }] };
  const bytes = encodeBroadcast("uid1", packet, { rooms: ["r"], except: [], flags: { volatile: true } });
  assert.deepEqual(msgpack.decode(bytes), ["uid1", packet, { rooms: ["r"], except: [], flags: { volatile: true } }]);
  const back = decodeBroadcast(bytes)!;
  assert.deepEqual(back.packet.data, ["ev", Buffer.from([1, 2]), { a: 1 }]);
  assert.equal(back.uid, "uid1");
  assert.deepEqual(back.opts, { rooms: ["r"], except: [], flags: { volatile: true } });
});

test("malformed messages decode to undefined, never throw", () => {
  for (const junk of [Buffer.from([0xc1]), Buffer.from("hello"), Buffer.alloc(0), msgpack.encode([1]) as Buffer]) {
    assert.equal(decodeBroadcast(junk), undefined);
  }
  assert.equal(decodeBroadcast(msgpack.encode(["u", null, {}]) as Buffer), undefined);
  // packets clients would refuse are not relayed
  for (const packet of [
    { type: 2, data: [] },
    { type: 2, data: ["disconnect"] },
    { type: 2, data: [{}] },
    { type: 3, data: ["ack"] },
    { type: 2, data: "x" },
  ]) {
    assert.equal(
      decodeBroadcast(msgpack.encode(["u", packet, { rooms: [] }]) as Buffer),
      undefined,
      JSON.stringify(packet),
    );
  }
  assert.equal(decodeBroadcast(msgpack.encode(["u", { type: 2, data: ["ok"] }, { rooms: 5 }]) as Buffer), undefined);
  assert.ok(decodeBroadcast(msgpack.encode(["u", { type: 2, data: [7] }, {}]) as Buffer));
  assert.equal(decodeRequest(Buffer.from("{not json")), undefined);
  assert.equal(decodeRequest(Buffer.from("[1,2]")), undefined);
  assert.equal(decodeRequest(Buffer.from([0xc1])), undefined);
  assert.deepEqual(decodeRequest(Buffer.from('{"type":2,"rooms":["a"]}')), { type: 2, rooms: ["a"] });
  assert.deepEqual(decodeRequest(msgpack.encode({ type: 9, requestId: "x" }) as Buffer), { type: 9, requestId: "x" });
});

test("options: defaults, derived names, and whole-sentence TypeErrors", () => {
  const o = resolveOptions();
  assert.equal(o.key, REDIS_ADAPTER_DEFAULTS.key);
  assert.equal(o.streamName, "socket.io-stream");
  assert.equal(o.sessionKeyPrefix, "socket.io:session:");
  assert.equal(o.routing, true);
  assert.equal(resolveOptions({ key: "app" }).streamName, "app-stream");
  assert.throws(
    () => resolveOptions({ mode: "kafka" as "streams" }),
    /The "mode" option must be "pubsub" or "streams"\./,
  );
  assert.throws(() => resolveOptions({ requestsTimeout: -1 }), TypeError);
  assert.throws(() => resolveOptions({ maxLen: Number.NaN }), TypeError);
  const client = new Redis({ lazyConnect: true });
  assert.throws(() => createAdapter(client, client), /must be two connections/);
  client.disconnect();
});

test("stream ids: format check and ordering", () => {
  assert.ok(isStreamId("1700000000000-0"));
  for (const bad of ["", "abc", "1-", "-1", "1-2-3", "1 -2", "9".repeat(30) + "-0"]) assert.ok(!isStreamId(bad), bad);
  assert.ok(compareStreamIds("1-0", "1-1") < 0);
  assert.ok(compareStreamIds("2-0", "1-99") > 0);
  assert.equal(compareStreamIds("5-5", "5-5"), 0);
  assert.ok(compareStreamIds("10-0", "9-0") > 0); // numeric, not lexical
});
