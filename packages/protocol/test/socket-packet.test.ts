/**
 * Socket.IO v5 packets (reference §2.3, §1.10; socket.io-protocol v5 spec "Packet
 * encoding"): the spec table as vectors, the decoder's validation, and round trips.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  PacketType,
  ProtocolError,
  RESERVED_EVENTS,
  SocketDecoder,
  decodeEnginePacket,
  decodePacketText,
  decodePayload,
  decodeV3Payload,
  encodePacket,
  encodePayload,
  encodeV3Payload,
  hasBinary,
  splitV4Namespace,
  type EnginePacket,
  type SocketPacket,
} from "@omnio/protocol";
import { assertProtocolError, bytes, socketPacket } from "./support.js";

const ph = (num: number) => ({ _placeholder: true, num });

/** Feeds frames to a fresh decoder; returns the single packet it completes. */
function decodeFrames(frames: ReadonlyArray<string | object>, decoder = new SocketDecoder()): SocketPacket {
  const done: SocketPacket[] = [];
  frames.forEach((frame, i) => {
    const packet = decoder.add(frame);
    if (packet !== undefined) done.push(packet);
    else assert.ok(i < frames.length - 1, "the last frame completes the packet");
  });
  assert.equal(done.length, 1);
  assert.equal(decoder.waiting, false);
  return done[0]!;
}

interface Vector {
  name: string;
  /** The packet an application hands to `encodePacket` (EVENT/ACK, even with binary). */
  packet: SocketPacket;
  /** Socket.IO text frame, then attachments. */
  frames: [string, ...Uint8Array[]];
  /** What the decoder yields, when it differs from `packet` (BINARY_* types). */
  decoded?: SocketPacket;
}

const A = bytes(1, 2, 3, 4);
const B = bytes(5, 6);

const VECTORS: Vector[] = [
  { name: "connect / (no auth)", packet: { type: PacketType.CONNECT, nsp: "/" }, frames: ["0"] },
  {
    name: "connect with auth",
    packet: { type: PacketType.CONNECT, nsp: "/", data: { token: "123" } },
    frames: ['0{"token":"123"}'],
  },
  { name: "connect /admin", packet: { type: PacketType.CONNECT, nsp: "/admin" }, frames: ["0/admin,"] },
  {
    name: "connect ok",
    packet: { type: PacketType.CONNECT, nsp: "/", data: { sid: "wZX3oN0bSVIhsaknAAAI" } },
    frames: ['0{"sid":"wZX3oN0bSVIhsaknAAAI"}'],
  },
  {
    name: "connect refused",
    packet: { type: PacketType.CONNECT_ERROR, nsp: "/", data: { message: "Not authorized" } },
    frames: ['4{"message":"Not authorized"}'],
  },
  {
    name: "connect refused with data",
    packet: {
      type: PacketType.CONNECT_ERROR,
      nsp: "/admin",
      data: { message: "not authorized", data: { content: "retry later" } },
    },
    frames: ['4/admin,{"message":"not authorized","data":{"content":"retry later"}}'],
  },
  {
    name: "unknown namespace",
    packet: { type: PacketType.CONNECT_ERROR, nsp: "/nope", data: { message: "Invalid namespace" } },
    frames: ['4/nope,{"message":"Invalid namespace"}'],
  },
  { name: "event", packet: { type: PacketType.EVENT, nsp: "/", data: ["foo"] }, frames: ['2["foo"]'] },
  {
    name: "event /admin",
    packet: { type: PacketType.EVENT, nsp: "/admin", data: ["bar"] },
    frames: ['2/admin,["bar"]'],
  },
  {
    name: "event hey Jude",
    packet: { type: PacketType.EVENT, nsp: "/", data: ["hey", "Jude"] },
    frames: ['2["hey","Jude"]'],
  },
  {
    name: "event with ack id 12",
    packet: { type: PacketType.EVENT, nsp: "/", id: 12, data: ["foo"] },
    frames: ['212["foo"]'],
  },
  {
    name: "event with ack id 0",
    packet: { type: PacketType.EVENT, nsp: "/", id: 0, data: ["ping-ack", 1] },
    frames: ['20["ping-ack",1]'],
  },
  {
    name: "ack",
    packet: { type: PacketType.ACK, nsp: "/admin", id: 13, data: ["bar"] },
    frames: ['3/admin,13["bar"]'],
  },
  { name: "ack on /", packet: { type: PacketType.ACK, nsp: "/", id: 0, data: [42] }, frames: ["30[42]"] },
  {
    name: "binary event",
    packet: { type: PacketType.EVENT, nsp: "/", data: ["baz", A] },
    frames: ['51-["baz",{"_placeholder":true,"num":0}]', A],
    decoded: { type: PacketType.BINARY_EVENT, nsp: "/", data: ["baz", A] },
  },
  {
    name: "binary event, 2 attachments, nsp",
    packet: { type: PacketType.EVENT, nsp: "/admin", data: ["baz", A, B] },
    frames: ['52-/admin,["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]', A, B],
    decoded: { type: PacketType.BINARY_EVENT, nsp: "/admin", data: ["baz", A, B] },
  },
  {
    name: "binary ack id 15",
    packet: { type: PacketType.ACK, nsp: "/", id: 15, data: ["bar", A] },
    frames: ['61-15["bar",{"_placeholder":true,"num":0}]', A],
    decoded: { type: PacketType.BINARY_ACK, nsp: "/", id: 15, data: ["bar", A] },
  },
  {
    name: "binary ack /admin id 1",
    packet: { type: PacketType.ACK, nsp: "/admin", id: 1, data: [A] },
    frames: ['61-/admin,1[{"_placeholder":true,"num":0}]', A],
    decoded: { type: PacketType.BINARY_ACK, nsp: "/admin", id: 1, data: [A] },
  },
  { name: "disconnect", packet: { type: PacketType.DISCONNECT, nsp: "/" }, frames: ["1"] },
  { name: "disconnect /admin", packet: { type: PacketType.DISCONNECT, nsp: "/admin" }, frames: ["1/admin,"] },
];

describe("Socket.IO v5 packet vectors", () => {
  for (const v of VECTORS) {
    test(`${v.name}: ${v.frames[0]}`, () => {
      const encoded = encodePacket(v.packet);
      assert.deepEqual(encoded, v.frames);
      const expected = v.decoded ?? v.packet;
      assert.deepEqual(decodeFrames(v.frames), expected);
      // A decoded packet encodes back to the same frames.
      assert.deepEqual(encodePacket(expected), v.frames);
    });
  }

  test("attachments are handed back as the very objects received", () => {
    const buf = Buffer.from([1, 2, 3]);
    const packet = decodeFrames(['51-["baz",{"_placeholder":true,"num":0}]', buf]);
    assert.equal((packet.data as unknown[])[1], buf);
  });

  test("the decoder also accepts a namespace without its trailing comma (40/admin)", () => {
    assert.deepEqual(decodeFrames(["0/admin"]), { type: PacketType.CONNECT, nsp: "/admin" });
    assert.deepEqual(decodeFrames(["1/admin"]), { type: PacketType.DISCONNECT, nsp: "/admin" });
  });

  test("numbers are valid event names; error is not reserved", () => {
    assert.deepEqual(decodeFrames(["2[1,2]"]), { type: PacketType.EVENT, nsp: "/", data: [1, 2] });
    assert.deepEqual(decodeFrames(['2["error"]']), { type: PacketType.EVENT, nsp: "/", data: ["error"] });
  });

  test("an ack may be empty; a binary packet may declare zero attachments", () => {
    assert.deepEqual(decodeFrames(["31[]"]), { type: PacketType.ACK, nsp: "/", id: 1, data: [] });
    assert.deepEqual(decodeFrames(['50-["a"]']), { type: PacketType.BINARY_EVENT, nsp: "/", data: ["a"] });
    assert.deepEqual(decodeFrames(["60-/x,7[]"]), { type: PacketType.BINARY_ACK, nsp: "/x", id: 7, data: [] });
  });

  test("v4 (Socket.IO 2.x) frames: query in the CONNECT namespace, string ERROR payload", () => {
    const connect = decodeFrames(["0/admin?token=abc,"]);
    assert.deepEqual(connect, { type: PacketType.CONNECT, nsp: "/admin?token=abc" });
    assert.deepEqual(splitV4Namespace(connect.nsp), { name: "/admin", query: "token=abc" });
    assert.deepEqual(splitV4Namespace("/admin"), { name: "/admin", query: "" });
    assert.deepEqual(splitV4Namespace("/?a=1?b"), { name: "/", query: "a=1?b" });
    assert.deepEqual(decodeFrames(['4/admin,"Not authorized"']), {
      type: PacketType.CONNECT_ERROR,
      nsp: "/admin",
      data: "Not authorized",
    });
    assert.deepEqual(encodePacket({ type: PacketType.CONNECT_ERROR, nsp: "/admin", data: "Not authorized" }), [
      '4/admin,"Not authorized"',
    ]);
  });

  test("decodePacketText leaves the attachment count and placeholders for the caller", () => {
    assert.deepEqual(decodePacketText('52-/admin,3["a",{"_placeholder":true,"num":1}]'), {
      type: PacketType.BINARY_EVENT,
      nsp: "/admin",
      attachments: 2,
      id: 3,
      data: ["a", ph(1)],
    });
  });

  test("the reviver and replacer are handed to JSON", () => {
    const decoder = new SocketDecoder({ reviver: (_key, value) => (value === "x" ? "y" : value) });
    assert.deepEqual(decoder.add('2["ev","x"]'), { type: PacketType.EVENT, nsp: "/", data: ["ev", "y"] });
    const [text] = encodePacket({ type: PacketType.EVENT, nsp: "/", data: ["ev", 1] }, (_key, value) =>
      value === 1 ? 2 : value,
    );
    assert.equal(text, '2["ev",2]');
  });

  test("a reviver that throws yields INVALID_PAYLOAD with the cause", () => {
    const boom = new Error("boom");
    const decoder = new SocketDecoder({
      reviver: () => {
        throw boom;
      },
    });
    assert.throws(
      () => decoder.add('2["ev"]'),
      (err: unknown) => err instanceof ProtocolError && err.code === "INVALID_PAYLOAD" && err.cause === boom,
    );
  });
});

describe("Socket.IO v5 through both Engine.IO layers", () => {
  test("the verified polling transcript decodes into Socket.IO packets", () => {
    const body =
      '451-["bin",{"_placeholder":true,"num":0},"Q8WxGnv"]\x1ebAQID\x1e420["ping-ack",1]\x1e42["broadcast","Q8WxGn-"]';
    const decoder = new SocketDecoder();
    const out: SocketPacket[] = [];
    for (const engine of decodePayload(body)) {
      assert.equal(engine.type, "message");
      const packet = decoder.add(engine.data!);
      if (packet) out.push(packet);
    }
    assert.deepEqual(out, [
      { type: PacketType.BINARY_EVENT, nsp: "/", data: ["bin", bytes(1, 2, 3), "Q8WxGnv"] },
      { type: PacketType.EVENT, nsp: "/", id: 0, data: ["ping-ack", 1] },
      { type: PacketType.EVENT, nsp: "/", data: ["broadcast", "Q8WxGn-"] },
    ]);
  });

  test("on the wire every Socket.IO frame is an Engine.IO message", () => {
    for (const [wire, packet] of [
      ["40", { type: PacketType.CONNECT, nsp: "/" }],
      ['40{"token":"123"}', { type: PacketType.CONNECT, nsp: "/", data: { token: "123" } }],
      ["40/admin,", { type: PacketType.CONNECT, nsp: "/admin" }],
      ["41", { type: PacketType.DISCONNECT, nsp: "/" }],
      ['4212["foo"]', { type: PacketType.EVENT, nsp: "/", id: 12, data: ["foo"] }],
      ['43/admin,13["bar"]', { type: PacketType.ACK, nsp: "/admin", id: 13, data: ["bar"] }],
      [
        '44/admin,{"message":"not authorized","data":{"content":"retry later"}}',
        {
          type: PacketType.CONNECT_ERROR,
          nsp: "/admin",
          data: { message: "not authorized", data: { content: "retry later" } },
        },
      ],
    ] as Array<[string, SocketPacket]>) {
      const engine = decodeEnginePacket(wire);
      assert.equal(engine.type, "message");
      assert.deepEqual(new SocketDecoder().add(engine.data as string), packet);
    }
  });
});

describe("Socket.IO decoder validation", () => {
  const refused: Array<[string, string, string]> = [
    // [frame, code, why]
    ["", "INVALID_PACKET_TYPE", "empty frame"],
    ["7", "INVALID_PACKET_TYPE", "type 7"],
    ["9[]", "INVALID_PACKET_TYPE", "type 9"],
    ["x", "INVALID_PACKET_TYPE", "type x"],
    ["-1", "INVALID_PACKET_TYPE", "type -"],
    ['/2["a"]', "INVALID_PACKET_TYPE", "namespace first"],
    ['5-["baz"]', "INVALID_ATTACHMENTS", "no attachment count"],
    ["5abc-", "INVALID_ATTACHMENTS", "non-numeric count"],
    ['5["baz"]', "INVALID_ATTACHMENTS", "no dash"],
    ['51["baz"]', "INVALID_ATTACHMENTS", "count without dash"],
    ["5", "INVALID_ATTACHMENTS", "bare 5"],
    ["6", "INVALID_ATTACHMENTS", "bare 6"],
    ['5+1-["baz"]', "INVALID_ATTACHMENTS", "signed count"],
    ['51.5-["baz"]', "INVALID_ATTACHMENTS", "fractional count"],
    ['5 1-["baz"]', "INVALID_ATTACHMENTS", "space in count"],
    ['51234567-["baz"]', "INVALID_ATTACHMENTS", "7-digit count"],
    ['5/admin,1-["baz"]', "INVALID_ATTACHMENTS", "namespace before count"],
    ['511-["baz"]', "TOO_MANY_ATTACHMENTS", "11 > default 10"],
    ['5999999-["baz"]', "TOO_MANY_ATTACHMENTS", "huge count"],
    ["2" + "1".repeat(16) + '["a"]', "INVALID_ACK_ID", "16-digit ack id"],
    ["3/admin," + "9".repeat(400) + "[]", "INVALID_ACK_ID", "400-digit ack id"],
    ['2["a"', "INVALID_PAYLOAD", "truncated JSON"],
    ["2[a]", "INVALID_PAYLOAD", "bare word"],
    ['2["a"]x', "INVALID_PAYLOAD", "trailing garbage"],
    ['2["a"]["b"]', "INVALID_PAYLOAD", "two documents"],
    ["0{", "INVALID_PAYLOAD", "open brace"],
    ["0{'a':1}", "INVALID_PAYLOAD", "single quotes"],
    ['2/admin["a"]', "INVALID_PAYLOAD", "namespace without comma swallows the payload"],
    ["0[]", "INVALID_PAYLOAD", "CONNECT array"],
    ['0"x"', "INVALID_PAYLOAD", "CONNECT string"],
    ["0null", "INVALID_PAYLOAD", "CONNECT null"],
    ["0true", "INVALID_PAYLOAD", "CONNECT boolean"],
    ["1{}", "INVALID_PAYLOAD", "DISCONNECT object"],
    ["1[]", "INVALID_PAYLOAD", "DISCONNECT array"],
    ['1/admin,"bye"', "INVALID_PAYLOAD", "DISCONNECT string"],
    ["2", "INVALID_PAYLOAD", "EVENT without payload"],
    ["2[]", "INVALID_PAYLOAD", "EVENT empty array"],
    ['2{"0":"foo"}', "INVALID_PAYLOAD", "EVENT object"],
    ['2"foo"', "INVALID_PAYLOAD", "EVENT string"],
    ["212", "INVALID_PAYLOAD", "EVENT with ack id only"],
    ['2[{"toString":"foo"}]', "INVALID_PAYLOAD", "CVE-2023-32695: object as event name"],
    ["2[null]", "INVALID_PAYLOAD", "null event name"],
    ["2[true]", "INVALID_PAYLOAD", "boolean event name"],
    ['2[["foo"]]', "INVALID_PAYLOAD", "array event name"],
    ['51-[{"_placeholder":true,"num":0}]', "INVALID_PAYLOAD", "placeholder as event name"],
    ["3", "INVALID_PAYLOAD", "ACK without payload"],
    ["31", "INVALID_PAYLOAD", "ACK with id only"],
    ["31{}", "INVALID_PAYLOAD", "ACK object"],
    ['31"x"', "INVALID_PAYLOAD", "ACK string"],
    ["60-{}", "INVALID_PAYLOAD", "BINARY_ACK object"],
    ["4", "INVALID_PAYLOAD", "CONNECT_ERROR without payload"],
    ["4[]", "INVALID_PAYLOAD", "CONNECT_ERROR array"],
    ["4null", "INVALID_PAYLOAD", "CONNECT_ERROR null"],
    ["442", "INVALID_PAYLOAD", "CONNECT_ERROR with a number"],
    ['50-["a",{"_placeholder":true,"num":0}]', "INVALID_PLACEHOLDER", "placeholder in a 0-attachment packet"],
  ];
  for (const [frame, code, why] of refused) {
    test(`${why}: ${JSON.stringify(frame.length > 40 ? frame.slice(0, 40) + "…" : frame)} -> ${code}`, () => {
      const decoder = new SocketDecoder();
      assertProtocolError(() => decoder.add(frame), code as "INVALID_PAYLOAD");
      assert.equal(decoder.waiting, false);
      // decodePacketText leaves placeholders alone; everything else fails there already.
      if (code !== "INVALID_PLACEHOLDER") assertProtocolError(() => decodePacketText(frame), code as "INVALID_PAYLOAD");
    });
  }

  test("ack ids of up to 15 digits are exact", () => {
    assert.deepEqual(decodeFrames(['2999999999999999["a"]']), {
      type: PacketType.EVENT,
      nsp: "/",
      id: 999_999_999_999_999,
      data: ["a"],
    });
  });

  for (const name of RESERVED_EVENTS) {
    test(`reserved event name "${name}" is refused`, () => {
      assertProtocolError(() => new SocketDecoder().add(`2${JSON.stringify([name, 1])}`), "RESERVED_EVENT");
      assertProtocolError(() => new SocketDecoder().add(`2/admin,5${JSON.stringify([name])}`), "RESERVED_EVENT");
      assertProtocolError(() => new SocketDecoder().add(`51-${JSON.stringify([name, ph(0)])}`), "RESERVED_EVENT");
    });
  }

  test("the reserved names are exactly the library's", () => {
    assert.deepEqual([...RESERVED_EVENTS].sort(), [
      "connect",
      "connect_error",
      "disconnect",
      "disconnecting",
      "newListener",
      "removeListener",
    ]);
    assert.equal(RESERVED_EVENTS.has("error"), false);
  });

  test("maxAttachments is configurable", () => {
    assert.equal(new SocketDecoder({ maxAttachments: 2 }).add('52-["a"]'), undefined);
    assertProtocolError(() => new SocketDecoder({ maxAttachments: 2 }).add('53-["a"]'), "TOO_MANY_ATTACHMENTS");
    assertProtocolError(() => new SocketDecoder({ maxAttachments: 0 }).add('51-["a"]'), "TOO_MANY_ATTACHMENTS");
    assert.deepEqual(new SocketDecoder({ maxAttachments: 0 }).add('50-["a"]'), {
      type: PacketType.BINARY_EVENT,
      nsp: "/",
      data: ["a"],
    });
    assert.equal(new SocketDecoder().add('510-["a"]'), undefined, "10 is allowed by default");
    assertProtocolError(() => decodePacketText('53-["a"]', 2), "TOO_MANY_ATTACHMENTS");
  });
});

describe("Socket.IO placeholders (CVE-2022-2421)", () => {
  const bad: Array<[string, unknown]> = [
    ["num is a method name", "splice"],
    ["num is a numeric string", "0"],
    ["num out of range", 1],
    ["num negative", -1],
    ["num fractional", 0.5],
    ["num null", null],
    ["num huge", 1e300],
    ["num an object", { valueOf: 0 }],
    ["num an array", [0]],
  ];
  for (const [why, num] of bad) {
    test(`${why} (${JSON.stringify(num)}) is refused`, () => {
      const decoder = new SocketDecoder();
      assert.equal(decoder.add(`51-${JSON.stringify(["hello", { _placeholder: true, num }])}`), undefined);
      assertProtocolError(() => decoder.add(bytes(1)), "INVALID_PLACEHOLDER");
      assert.equal(decoder.waiting, false, "a failed reconstruction leaves the decoder clean");
      assert.deepEqual(decoder.add('2["next"]'), { type: PacketType.EVENT, nsp: "/", data: ["next"] });
    });
  }

  test('the CVE input 51-["hello",{"_placeholder":true,"num":"splice"}]', () => {
    const decoder = new SocketDecoder();
    decoder.add('51-["hello",{"_placeholder":true,"num":"splice"}]');
    assertProtocolError(() => decoder.add(bytes(1, 2, 3)), "INVALID_PLACEHOLDER");
  });

  test("a placeholder without num is refused", () => {
    const decoder = new SocketDecoder();
    decoder.add('51-["hello",{"_placeholder":true}]');
    assertProtocolError(() => decoder.add(bytes(1)), "INVALID_PLACEHOLDER");
  });

  test("nested placeholders in objects and arrays are restored", () => {
    const decoder = new SocketDecoder();
    decoder.add(
      '53-["ev",{"a":[{"_placeholder":true,"num":2}],"b":{"c":{"_placeholder":true,"num":0}}},{"_placeholder":true,"num":1}]',
    );
    decoder.add(A);
    decoder.add(B);
    const packet = decoder.add(bytes(9));
    assert.deepEqual(packet?.data, ["ev", { a: [bytes(9)], b: { c: A } }, B]);
  });

  test("only `_placeholder: true` marks a placeholder", () => {
    const decoder = new SocketDecoder();
    decoder.add('51-["ev",{"_placeholder":"true","num":"x"},{"_placeholder":1},{"_placeholder":true,"num":0}]');
    assert.deepEqual(decoder.add(A)?.data, ["ev", { _placeholder: "true", num: "x" }, { _placeholder: 1 }, A]);
  });
});

describe("Socket.IO decoder state", () => {
  test("binary data when not waiting is refused", () => {
    const decoder = new SocketDecoder();
    assertProtocolError(() => decoder.add(A), "UNEXPECTED_BINARY");
    assertProtocolError(() => decoder.add(new ArrayBuffer(2)), "UNEXPECTED_BINARY");
    decoder.add('2["a"]');
    assertProtocolError(() => decoder.add(A), "UNEXPECTED_BINARY");
  });

  test("text while waiting for attachments is refused; destroy() resets", () => {
    const decoder = new SocketDecoder();
    assert.equal(decoder.add('52-["a",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]'), undefined);
    assert.equal(decoder.waiting, true);
    assert.equal(decoder.add(A), undefined);
    assertProtocolError(() => decoder.add('2["b"]'), "UNEXPECTED_TEXT");
    assert.equal(decoder.waiting, true);
    decoder.destroy();
    assert.equal(decoder.waiting, false);
    assertProtocolError(() => decoder.add(B), "UNEXPECTED_BINARY");
    assert.deepEqual(decoder.add('2["b"]'), { type: PacketType.EVENT, nsp: "/", data: ["b"] });
  });

  test("a refused frame does not disturb the next one", () => {
    const decoder = new SocketDecoder();
    assertProtocolError(() => decoder.add('2["connect"]'), "RESERVED_EVENT");
    assertProtocolError(() => decoder.add("511-[]"), "TOO_MANY_ATTACHMENTS");
    assert.deepEqual(decoder.add('2["ok"]'), { type: PacketType.EVENT, nsp: "/", data: ["ok"] });
  });

  test("consecutive binary packets reassemble independently", () => {
    const decoder = new SocketDecoder();
    const out: SocketPacket[] = [];
    for (const frame of [
      '51-["a",{"_placeholder":true,"num":0}]',
      A,
      '61-/x,4[{"_placeholder":true,"num":0}]',
      B,
      '2["c"]',
    ]) {
      const p = decoder.add(frame);
      if (p) out.push(p);
    }
    assert.deepEqual(out, [
      { type: PacketType.BINARY_EVENT, nsp: "/", data: ["a", A] },
      { type: PacketType.BINARY_ACK, nsp: "/x", id: 4, data: [B] },
      { type: PacketType.EVENT, nsp: "/", data: ["c"] },
    ]);
  });
});

describe("Socket.IO payloads never pollute prototypes", () => {
  function assertClean(): void {
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
    assert.equal(([] as unknown as Record<string, unknown>)["polluted"], undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted"), false);
  }

  test('2["x",{"__proto__":{"polluted":1}}]', () => {
    const packet = new SocketDecoder().add('2["x",{"__proto__":{"polluted":1}}]');
    assertClean();
    const obj = (packet!.data as unknown[])[1] as object;
    assert.equal(Object.getPrototypeOf(obj), Object.prototype);
    assert.deepEqual(Object.keys(obj), ["__proto__"]);
  });

  test("__proto__ next to a placeholder", () => {
    const decoder = new SocketDecoder();
    decoder.add('51-["x",{"__proto__":{"polluted":1},"b":{"_placeholder":true,"num":0}}]');
    const packet = decoder.add(A);
    assertClean();
    const obj = (packet!.data as unknown[])[1] as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(obj), Object.prototype);
    assert.equal(obj["b"], A);
  });

  test("a placeholder under a __proto__ key stays an own property", () => {
    const decoder = new SocketDecoder();
    decoder.add('51-["x",{"__proto__":{"_placeholder":true,"num":0}},{"__proto__":{"__proto__":{"polluted":1}}}]');
    const packet = decoder.add(A);
    assertClean();
    const obj = (packet!.data as unknown[])[1] as object;
    assert.equal(Object.getPrototypeOf(obj), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(obj, "__proto__")?.value, A);
  });

  test("constructor.prototype keys, in every packet type that carries JSON", () => {
    const frames = [
      '2["x",{"constructor":{"prototype":{"polluted":1}}}]',
      '0{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}',
      '4{"__proto__":{"polluted":1}}',
      '31[{"__proto__":{"polluted":1}}]',
      '2["__proto__",{"__proto__":{"polluted":1}}]',
    ];
    for (const frame of frames) new SocketDecoder().add(frame);
    const decoder = new SocketDecoder();
    decoder.add('61-1[{"constructor":{"prototype":{"polluted":1}},"p":{"_placeholder":true,"num":0}}]');
    decoder.add(A);
    assertClean();
  });

  test("encoding a payload with an own __proto__ key and binary keeps it an own key", () => {
    const data = JSON.parse('["x",{"__proto__":{"polluted":1}}]') as [string, Record<string, unknown>];
    data[1]["bin"] = A;
    const [text, ...attachments] = encodePacket({ type: PacketType.EVENT, nsp: "/", data });
    assertClean();
    assert.equal(text, '51-["x",{"__proto__":{"polluted":1},"bin":{"_placeholder":true,"num":0}}]');
    assert.deepEqual(decodeFrames([text, ...attachments]).data, data);
    assertClean();
  });
});

describe("Socket.IO round trips (property based)", () => {
  const expectedType = (p: SocketPacket): SocketPacket["type"] =>
    hasBinary(p.data) ? (p.type === PacketType.EVENT ? PacketType.BINARY_EVENT : PacketType.BINARY_ACK) : p.type;

  test("packet -> frames -> SocketDecoder -> packet", () => {
    fc.assert(
      fc.property(socketPacket, (packet) => {
        const frames = encodePacket(packet);
        const decoded = decodeFrames(frames, new SocketDecoder({ maxAttachments: 1000 }));
        assert.deepEqual(decoded, { ...packet, type: expectedType(packet) });
      }),
      { numRuns: 1000 },
    );
  });

  test("a decoded packet re-encodes to the same frames", () => {
    fc.assert(
      fc.property(socketPacket, (packet) => {
        const frames = encodePacket(packet);
        const decoded = decodeFrames(frames, new SocketDecoder({ maxAttachments: 1000 }));
        assert.deepEqual(encodePacket(decoded), frames);
      }),
      { numRuns: 500 },
    );
  });

  test("the attachment count and placeholders follow depth-first order", () => {
    fc.assert(
      fc.property(socketPacket, (packet) => {
        const [text, ...attachments] = encodePacket(packet);
        if (attachments.length === 0) {
          assert.ok(!/^[56]/.test(text));
          return;
        }
        assert.ok(text.startsWith(`${expectedType(packet)}${attachments.length}-`));
        const pending = decodePacketText(text, 1000);
        assert.equal(pending.attachments, attachments.length);
      }),
      { numRuns: 300 },
    );
  });

  test("packet -> Engine.IO v4 polling payload -> packet", () => {
    fc.assert(
      fc.property(fc.array(socketPacket, { minLength: 1, maxLength: 4 }), (packets) => {
        const engine: EnginePacket[] = [];
        for (const p of packets) {
          for (const frame of encodePacket(p)) {
            engine.push({ type: "message", data: typeof frame === "string" ? frame : (frame as Uint8Array) });
          }
        }
        // A namespace is not JSON-escaped and may hold \x1e, which a v4 polling payload cannot carry.
        if (engine.some((e) => typeof e.data === "string" && e.data.includes("\x1e"))) return;
        const decoder = new SocketDecoder({ maxAttachments: 1000 });
        const out: SocketPacket[] = [];
        for (const e of decodePayload(encodePayload(engine))) {
          const p = decoder.add(e.data!);
          if (p) out.push(p);
        }
        assert.deepEqual(
          out,
          packets.map((p) => ({ ...p, type: expectedType(p) })),
        );
      }),
      { numRuns: 300 },
    );
  });

  test("packet -> Engine.IO v3 text payload -> packet", () => {
    fc.assert(
      fc.property(fc.array(socketPacket, { minLength: 1, maxLength: 4 }), (packets) => {
        const engine: EnginePacket[] = packets.flatMap((p) =>
          encodePacket(p).map((frame): EnginePacket => ({ type: "message", data: frame as string | Uint8Array })),
        );
        const decoder = new SocketDecoder({ maxAttachments: 1000 });
        const out: SocketPacket[] = [];
        for (const e of decodeV3Payload(encodeV3Payload(engine))) {
          const p = decoder.add(e.data!);
          if (p) out.push(p);
        }
        assert.deepEqual(
          out,
          packets.map((p) => ({ ...p, type: expectedType(p) })),
        );
      }),
      { numRuns: 300 },
    );
  });
});
