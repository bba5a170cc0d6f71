/**
 * Engine.IO v4 packets and polling payloads (reference §2.1; engine.io-protocol v4 spec
 * "Packet encoding" and "Payload").
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  ENGINE_PACKET_TYPES,
  RECORD_SEPARATOR,
  decodeEnginePacket,
  decodePayload,
  encodeEnginePacket,
  encodeEnginePacketText,
  encodePayload,
  type EnginePacket,
} from "@omnio/protocol";
import { assertProtocolError, bytes, enginePacket } from "./support.js";

const HANDSHAKE =
  '0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';

/** [packet, WebSocket text frame] pairs straight from the spec. */
const TEXT_VECTORS: Array<[EnginePacket, string]> = [
  [{ type: "open", data: HANDSHAKE.slice(1) }, HANDSHAKE],
  [{ type: "close" }, "1"],
  [{ type: "ping" }, "2"],
  [{ type: "pong" }, "3"],
  [{ type: "ping", data: "probe" }, "2probe"],
  [{ type: "pong", data: "probe" }, "3probe"],
  [{ type: "message", data: "hello" }, "4hello"],
  [{ type: "message", data: '0{"token":"123"}' }, '40{"token":"123"}'],
  [{ type: "upgrade" }, "5"],
  [{ type: "noop" }, "6"],
];

describe("Engine.IO v4 packet vectors", () => {
  for (const [packet, frame] of TEXT_VECTORS) {
    test(`${JSON.stringify(frame)} <-> ${packet.type}`, () => {
      assert.equal(encodeEnginePacket(packet), frame);
      assert.equal(encodeEnginePacketText(packet), frame);
      assert.deepEqual(decodeEnginePacket(frame), packet);
    });
  }

  test("the handshake carries the session parameters as JSON", () => {
    const open = decodeEnginePacket(HANDSHAKE);
    assert.equal(open.type, "open");
    assert.deepEqual(JSON.parse(open.data as string), {
      sid: "lv_VI97HAXpY6yYWAAAC",
      upgrades: ["websocket"],
      pingInterval: 25000,
      pingTimeout: 20000,
      maxPayload: 1000000,
    });
  });

  test("binary message: raw bytes on WebSocket, b<base64> in text", () => {
    const data = bytes(1, 2, 3, 4);
    const packet: EnginePacket = { type: "message", data };
    assert.equal(encodeEnginePacket(packet), data, "the WebSocket frame is the very same bytes");
    assert.equal(encodeEnginePacketText(packet), "bAQIDBA==");
    assert.deepEqual(decodeEnginePacket(data), packet);
    assert.deepEqual(decodeEnginePacket("bAQIDBA=="), packet);
    assert.deepEqual(decodeEnginePacket("bAQID"), { type: "message", data: bytes(1, 2, 3) });
    assert.deepEqual(decodeEnginePacket("b"), { type: "message", data: bytes() });
  });

  test("the packet type table is in wire order", () => {
    assert.deepEqual([...ENGINE_PACKET_TYPES], ["open", "close", "ping", "pong", "message", "upgrade", "noop"]);
  });

  test("an injected base64 codec is used both ways", () => {
    const seen: string[] = [];
    const packet: EnginePacket = { type: "message", data: bytes(1, 2, 3, 4) };
    const text = encodeEnginePacketText(packet, (b) => Buffer.from(b).toString("base64"));
    assert.equal(text, "bAQIDBA==");
    const decoded = decodeEnginePacket(text, (s) => {
      seen.push(s);
      return new Uint8Array(Buffer.from(s, "base64"));
    });
    assert.deepEqual(seen, ["AQIDBA=="]);
    assert.deepEqual(decoded, packet);
  });
});

describe("Engine.IO v4 packet errors", () => {
  test("an empty frame is refused", () => {
    assertProtocolError(() => decodeEnginePacket(""), "INVALID_PACKET_TYPE");
  });
  for (const frame of ["7", "9", "x", "/", " 4hello", "\x1e", "B", "\u0660"]) {
    test(`unknown type ${JSON.stringify(frame)} is refused`, () => {
      assertProtocolError(() => decodeEnginePacket(frame), "INVALID_PACKET_TYPE");
    });
  }
  for (const frame of ["b!!!!", "bAQIDB", "bAQ=D", "b====", "bA", "b\u00e9AAA", "bAQIDBA==="]) {
    test(`invalid base64 ${JSON.stringify(frame)} is refused`, () => {
      assertProtocolError(() => decodeEnginePacket(frame), "INVALID_BASE64");
    });
  }
});

describe("Engine.IO v4 payload vectors", () => {
  test("4hello\\x1ebAQIDBA==", () => {
    const packets: EnginePacket[] = [
      { type: "message", data: "hello" },
      { type: "message", data: bytes(1, 2, 3, 4) },
    ];
    assert.equal(RECORD_SEPARATOR, "\x1e");
    assert.equal(encodePayload(packets), "4hello\x1ebAQIDBA==");
    assert.deepEqual(decodePayload("4hello\x1ebAQIDBA=="), packets);
  });

  test("a single packet payload has no separator", () => {
    assert.equal(encodePayload([{ type: "message", data: "hello" }]), "4hello");
    assert.deepEqual(decodePayload("4hello"), [{ type: "message", data: "hello" }]);
  });

  test("the handshake GET and the close answers", () => {
    assert.deepEqual(decodePayload(HANDSHAKE), [{ type: "open", data: HANDSHAKE.slice(1) }]);
    assert.deepEqual(decodePayload("6\x1e1"), [{ type: "noop" }, { type: "close" }]);
    assert.equal(encodePayload([{ type: "noop" }, { type: "close" }]), "6\x1e1");
  });

  test("the client POST of two events", () => {
    assert.deepEqual(decodePayload('42["hello"]\x1e42["world"]'), [
      { type: "message", data: '2["hello"]' },
      { type: "message", data: '2["world"]' },
    ]);
  });

  test("the verified transcript GET with a binary event, its attachment and two more events", () => {
    const body =
      '451-["bin",{"_placeholder":true,"num":0},"Q8WxGnv"]\x1ebAQID\x1e420["ping-ack",1]\x1e42["broadcast","Q8WxGn-"]';
    assert.deepEqual(decodePayload(body), [
      { type: "message", data: '51-["bin",{"_placeholder":true,"num":0},"Q8WxGnv"]' },
      { type: "message", data: bytes(1, 2, 3) },
      { type: "message", data: '20["ping-ack",1]' },
      { type: "message", data: '2["broadcast","Q8WxGn-"]' },
    ]);
  });

  test("an injected base64 encoder is used for every binary packet", () => {
    const calls: number[] = [];
    const out = encodePayload(
      [
        { type: "message", data: bytes(1) },
        { type: "message", data: bytes(2, 2) },
      ],
      (b) => {
        calls.push(b.length);
        return "X";
      },
    );
    assert.equal(out, "bX\x1ebX");
    assert.deepEqual(calls, [1, 2]);
  });

  test("an empty packet list encodes as an empty body", () => {
    assert.equal(encodePayload([]), "");
  });
});

describe("Engine.IO v4 payload errors", () => {
  test("a syntactically bad payload (abc) is refused", () => {
    assertProtocolError(() => decodePayload("abc"), "INVALID_PACKET_TYPE");
  });
  test("an empty body and empty entries are refused", () => {
    assertProtocolError(() => decodePayload(""), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodePayload("4a\x1e"), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodePayload("\x1e4a"), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodePayload("4a\x1e\x1e4b"), "INVALID_PACKET_TYPE");
  });
  test("invalid base64 in any entry is refused", () => {
    assertProtocolError(() => decodePayload("4hello\x1eb@@@@"), "INVALID_BASE64");
  });
  test("maxPackets bounds the packets of one body", () => {
    assert.equal(decodePayload("2\x1e2\x1e2", { maxPackets: 3 }).length, 3);
    assertProtocolError(() => decodePayload("2\x1e2\x1e2\x1e2", { maxPackets: 3 }), "INVALID_PAYLOAD");
    assertProtocolError(() => decodePayload("2", { maxPackets: 0 }), "INVALID_PAYLOAD");
  });
});

describe("Engine.IO v4 round trips (property based)", () => {
  const noSeparator = fc.string({ unit: "binary", maxLength: 1 }).filter((c) => c !== RECORD_SEPARATOR);

  test("packet -> WebSocket frame -> packet", () => {
    fc.assert(
      fc.property(enginePacket(), (packet) => {
        assert.deepEqual(decodeEnginePacket(encodeEnginePacket(packet)), packet);
      }),
      { numRuns: 500 },
    );
  });

  test("packet -> text frame -> packet", () => {
    fc.assert(
      fc.property(enginePacket(), (packet) => {
        assert.deepEqual(decodeEnginePacket(encodeEnginePacketText(packet)), packet);
      }),
      { numRuns: 500 },
    );
  });

  test("packets -> payload -> packets", () => {
    fc.assert(
      fc.property(fc.array(enginePacket({ unit: noSeparator }), { minLength: 1, maxLength: 8 }), (packets) => {
        const body = encodePayload(packets);
        assert.deepEqual(decodePayload(body), packets);
        assert.deepEqual(decodePayload(body, { maxPackets: packets.length }), packets);
      }),
      { numRuns: 500 },
    );
  });

  test("text frames agree with Node's base64 for binary packets", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        assert.equal(encodeEnginePacketText({ type: "message", data }), "b" + Buffer.from(data).toString("base64"));
      }),
      { numRuns: 300 },
    );
  });
});
