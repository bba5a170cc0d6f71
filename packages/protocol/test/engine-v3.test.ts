/**
 * Engine.IO v3 framing (reference §2.2; engine.io-protocol v3 spec): type-prefixed binary
 * WebSocket frames, `<utf16 length>:<packet>` text payloads and XHR2 binary payloads.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  decodeV3BinaryPayload,
  decodeV3Packet,
  decodeV3Payload,
  encodeV3BinaryPayload,
  encodeV3Packet,
  encodeV3PacketText,
  encodeV3Payload,
  type EnginePacket,
} from "@omnio/protocol";
import { assertProtocolError, bytes, enginePacket } from "./support.js";

const HANDSHAKE =
  '0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';
const HELLO_AND_BYTES: EnginePacket[] = [
  { type: "message", data: "hello" },
  { type: "message", data: bytes(1, 2, 3, 4) },
];

describe("Engine.IO v3 packet vectors", () => {
  test("text packets are <type><data>, as in v4", () => {
    for (const [packet, frame] of [
      [{ type: "message", data: "hello" }, "4hello"],
      [{ type: "ping", data: "probe" }, "2probe"],
      [{ type: "pong", data: "probe" }, "3probe"],
      [{ type: "ping" }, "2"],
      [{ type: "upgrade" }, "5"],
      [{ type: "open", data: HANDSHAKE.slice(1) }, HANDSHAKE],
    ] as Array<[EnginePacket, string]>) {
      assert.equal(encodeV3Packet(packet), frame);
      assert.equal(encodeV3PacketText(packet), frame);
      assert.deepEqual(decodeV3Packet(frame), packet);
    }
  });

  test("a binary WebSocket frame is prefixed by the type byte: 04 01 02 03 04", () => {
    const packet: EnginePacket = { type: "message", data: bytes(1, 2, 3, 4) };
    assert.deepEqual(encodeV3Packet(packet), bytes(0x04, 0x01, 0x02, 0x03, 0x04));
    assert.deepEqual(decodeV3Packet(bytes(0x04, 0x01, 0x02, 0x03, 0x04)), packet);
    assert.deepEqual(decodeV3Packet(bytes(0x04)), { type: "message", data: bytes() });
  });

  test("binary in text is b<type><base64>", () => {
    const packet: EnginePacket = { type: "message", data: bytes(1, 2, 3, 4) };
    assert.equal(encodeV3PacketText(packet), "b4AQIDBA==");
    assert.deepEqual(decodeV3Packet("b4AQIDBA=="), packet);
  });
});

describe("Engine.IO v3 text payload vectors", () => {
  const vectors: Array<[string, EnginePacket[]]> = [
    [
      "6:4hello6:4world",
      [
        { type: "message", data: "hello" },
        { type: "message", data: "world" },
      ],
    ],
    ["0:", []],
    ["10:b4AQIDBA==", [{ type: "message", data: bytes(1, 2, 3, 4) }]],
    ["2:40", [{ type: "message", data: "0" }]],
    ["118:" + HANDSHAKE, [{ type: "open", data: HANDSHAKE.slice(1) }]],
    ["1:6", [{ type: "noop" }]],
    ["6:4hello10:b4AQIDBA==", HELLO_AND_BYTES],
  ];
  for (const [payload, packets] of vectors) {
    test(JSON.stringify(payload), () => {
      assert.equal(encodeV3Payload(packets), payload);
      assert.deepEqual(decodeV3Payload(payload), packets);
    });
  }

  test("lengths count UTF-16 code units, not bytes nor code points", () => {
    assert.equal(encodeV3Payload([{ type: "message", data: "\u20ac" }]), "2:4\u20ac");
    assert.equal(encodeV3Payload([{ type: "message", data: "\u{1f600}" }]), "3:4\u{1f600}");
    assert.deepEqual(decodeV3Payload("3:4\u{1f600}1:2"), [{ type: "message", data: "\u{1f600}" }, { type: "ping" }]);
  });

  test("packet data may itself contain digits and colons", () => {
    const packets: EnginePacket[] = [
      { type: "message", data: '2["a:1","6:4hello"]' },
      { type: "message", data: "1:" },
    ];
    assert.deepEqual(decodeV3Payload(encodeV3Payload(packets)), packets);
  });

  test("an injected base64 encoder is used", () => {
    assert.equal(
      encodeV3Payload([{ type: "message", data: bytes(9) }], () => "QQ"),
      "4:b4QQ",
    );
  });
});

describe("Engine.IO v3 text payload errors", () => {
  for (const payload of [
    "99999991:4222",
    "abc",
    "5:4hi",
    "",
    ":4hi",
    "0:0:",
    "1:2x",
    "2:4a3",
    "-1:4",
    "1e1:4aaaaaaaaa",
    " 6:4hello",
    "6 :4hello",
    "\uff16:4hello",
    "12345678901234567:4",
    "0".repeat(20) + "2:4a",
  ]) {
    test(`malformed length ${JSON.stringify(payload)} is refused`, () => {
      assertProtocolError(() => decodeV3Payload(payload), "INVALID_LENGTH");
    });
  }
  test("a bad packet inside a well-framed payload is refused", () => {
    assertProtocolError(() => decodeV3Payload("2:7x"), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodeV3Payload("1:b"), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodeV3Payload("4:b9AA"), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodeV3Payload("6:b4AQI!"), "INVALID_BASE64");
  });
  test("maxPackets bounds the packets of one body", () => {
    assert.equal(decodeV3Payload("1:21:21:2", { maxPackets: 3 }).length, 3);
    assertProtocolError(() => decodeV3Payload("1:21:21:21:2", { maxPackets: 3 }), "INVALID_PAYLOAD");
  });
  test("a hostile length prefix costs linear time", () => {
    const start = Date.now();
    assertProtocolError(() => decodeV3Payload("9".repeat(1_000_000)), "INVALID_LENGTH");
    assertProtocolError(() => decodeV3Payload("1:2".repeat(200_000) + "9".repeat(1_000_000)), "INVALID_LENGTH");
    assert.ok(Date.now() - start < 2000);
  });
});

describe("Engine.IO v3 packet errors", () => {
  test("empty frames are refused", () => {
    assertProtocolError(() => decodeV3Packet(""), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodeV3Packet(bytes()), "INVALID_PACKET");
  });
  test("unknown types are refused, text and binary", () => {
    assertProtocolError(() => decodeV3Packet("7"), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodeV3Packet("b"), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodeV3Packet("bAQID"), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodeV3Packet(bytes(7, 1)), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodeV3Packet(bytes(0x34, 1)), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodeV3Packet(bytes(0xff)), "INVALID_PACKET_TYPE");
  });
  test("invalid base64 is refused", () => {
    assertProtocolError(() => decodeV3Packet("b4AQIDB"), "INVALID_BASE64");
    assertProtocolError(() => decodeV3Packet("b4****"), "INVALID_BASE64");
  });
});

describe("Engine.IO v3 binary payload", () => {
  const WIRE = bytes(
    0x00,
    0x06,
    0xff,
    0x34,
    0x68,
    0x65,
    0x6c,
    0x6c,
    0x6f,
    0x01,
    0x05,
    0xff,
    0x04,
    0x01,
    0x02,
    0x03,
    0x04,
  );

  test('"4hello" + <01 02 03 04> -> 00 06 FF 34 68 65 6C 6C 6F 01 05 FF 04 01 02 03 04', () => {
    assert.deepEqual(encodeV3BinaryPayload(HELLO_AND_BYTES), WIRE);
    assert.deepEqual(decodeV3BinaryPayload(WIRE), HELLO_AND_BYTES);
  });

  test("lengths are one byte per decimal digit, counting UTF-8 bytes of text packets", () => {
    const text = "4helloworld\u00e9"; // 13 bytes in UTF-8
    const encoded = encodeV3BinaryPayload([{ type: "message", data: text.slice(1) }]);
    assert.deepEqual(encoded.subarray(0, 4), bytes(0x00, 0x01, 0x03, 0xff));
    assert.deepEqual(encoded.subarray(4), new Uint8Array(Buffer.from(text)));
    assert.deepEqual(decodeV3BinaryPayload(encoded), [{ type: "message", data: "helloworld\u00e9" }]);
  });

  test("empty payload <-> no packets", () => {
    assert.deepEqual(encodeV3BinaryPayload([]), bytes());
    assert.deepEqual(decodeV3BinaryPayload(bytes()), []);
  });

  const bad: Array<[string, Uint8Array]> = [
    ["marker 2", bytes(0x02, 0x01, 0xff, 0x34)],
    ["truncated header", bytes(0x00, 0x01)],
    ["marker only", bytes(0x00)],
    ["digit above 9", bytes(0x00, 0x0a, 0xff, 0x34)],
    ["no digits", bytes(0x00, 0xff, 0x34)],
    ["length past the end", bytes(0x00, 0x06, 0xff, 0x34, 0x68)],
    ["17 digits", bytes(0x00, ...new Array<number>(17).fill(9), 0xff)],
    ["garbage after a good packet", bytes(0x00, 0x01, 0xff, 0x32, 0x33)],
  ];
  for (const [name, payload] of bad) {
    test(`malformed header (${name}) is refused`, () => {
      assertProtocolError(() => decodeV3BinaryPayload(payload), "INVALID_LENGTH");
    });
  }

  test("bad packets inside a well-framed binary payload are refused", () => {
    assertProtocolError(() => decodeV3BinaryPayload(bytes(0x01, 0x00, 0xff)), "INVALID_PACKET");
    assertProtocolError(() => decodeV3BinaryPayload(bytes(0x00, 0x00, 0xff)), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodeV3BinaryPayload(bytes(0x00, 0x01, 0xff, 0x39)), "INVALID_PACKET_TYPE");
    assertProtocolError(() => decodeV3BinaryPayload(bytes(0x01, 0x01, 0xff, 0x09)), "INVALID_PACKET_TYPE");
  });

  test("maxPackets bounds the packets of one body", () => {
    const body = encodeV3BinaryPayload([{ type: "ping" }, { type: "ping" }, { type: "ping" }]);
    assert.equal(decodeV3BinaryPayload(body, { maxPackets: 3 }).length, 3);
    assertProtocolError(() => decodeV3BinaryPayload(body, { maxPackets: 2 }), "INVALID_PAYLOAD");
  });
});

describe("Engine.IO v3 round trips (property based)", () => {
  test("packet -> WebSocket frame -> packet (binary of any type)", () => {
    fc.assert(
      fc.property(enginePacket({ binaryTypes: true }), (packet) => {
        assert.deepEqual(decodeV3Packet(encodeV3Packet(packet)), packet);
        assert.deepEqual(decodeV3Packet(encodeV3PacketText(packet)), packet);
      }),
      { numRuns: 500 },
    );
  });

  test("packets -> text payload -> packets (any UTF-16, lone surrogates included)", () => {
    fc.assert(
      fc.property(fc.array(enginePacket({ binaryTypes: true }), { maxLength: 8 }), (packets) => {
        const body = encodeV3Payload(packets);
        assert.deepEqual(decodeV3Payload(body), packets);
      }),
      { numRuns: 500 },
    );
  });

  test("packets -> binary payload -> packets (well-formed Unicode)", () => {
    const wellFormed = fc.string({ unit: "binary", maxLength: 1 });
    fc.assert(
      fc.property(fc.array(enginePacket({ binaryTypes: true, unit: wellFormed }), { maxLength: 8 }), (packets) => {
        const body = encodeV3BinaryPayload(packets);
        assert.deepEqual(decodeV3BinaryPayload(body), packets);
      }),
      { numRuns: 500 },
    );
  });

  test("binary payload text lengths match Node's UTF-8 byte length", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 40 }), (data) => {
        const encoded = encodeV3BinaryPayload([{ type: "message", data }]);
        const length = Buffer.byteLength("4" + data);
        const digits = String(length);
        assert.deepEqual(encoded.subarray(0, digits.length + 2), bytes(0, ...[...digits].map(Number), 0xff));
        assert.equal(encoded.length, digits.length + 2 + length);
      }),
      { numRuns: 300 },
    );
  });
});
