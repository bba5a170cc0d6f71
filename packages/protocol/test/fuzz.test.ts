/**
 * Random inputs against every decoder: nothing but a `ProtocolError` may escape, whatever
 * arrives on the wire. Inputs are plain random strings/bytes, grammar-biased token soups and
 * single-character mutations of valid frames. Each run is bounded in time.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  PacketType,
  RESERVED_EVENTS,
  SocketDecoder,
  decodeBase64,
  decodeEnginePacket,
  decodePacketText,
  decodePayload,
  decodeUtf8,
  decodeV3BinaryPayload,
  decodeV3Packet,
  decodeV3Payload,
  encodePacket,
  encodeV3BinaryPayload,
  reconstructPayload,
  splitV4Namespace,
  type SocketPacket,
} from "@omnio/protocol";
import { enginePacket, onlyProtocolErrors, socketPacket, utf16Unit } from "./support.js";

const RUNS = { numRuns: 3000, interruptAfterTimeLimit: 2500 };

const TOKENS = [
  ..."0123456789",
  "b",
  "-",
  "/",
  ",",
  "[",
  "]",
  "{",
  "}",
  '"',
  ":",
  "=",
  "\x1e",
  " ",
  "\\",
  "e",
  ".",
  '"_placeholder"',
  "true",
  '"num"',
  "null",
  '"__proto__"',
  '"constructor"',
  '"toString"',
  '"splice"',
  '"connect"',
  '"foo"',
  "/admin",
  "AQID",
  "BA==",
  "9".repeat(17),
  "1".repeat(400),
  "[".repeat(40),
  "\u00e9",
  "\ud800",
];

/** Strings of every kind: random, full Unicode, lone surrogates, and grammar-like token soups. */
const anyInput: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: utf16Unit, maxLength: 40 }),
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...TOKENS), maxLength: 30 }) },
);

/** A valid frame with one random edit: insert, delete or replace a character. */
function mutated(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(valid, fc.nat(), fc.constantFrom("insert", "delete", "replace"), fc.constantFrom(...TOKENS))
    .map(([text, at, how, token]) => {
      const i = text.length === 0 ? 0 : at % (text.length + 1);
      if (how === "insert") return text.slice(0, i) + token + text.slice(i);
      if (how === "delete") return text.slice(0, i) + text.slice(i + 1);
      return text.slice(0, i) + token + text.slice(i + token.length);
    });
}

const socketText = socketPacket.map((p) => encodePacket(p)[0]);
const socketInput = fc.oneof(anyInput, mutated(socketText), socketText);

const nearBinaryPayload = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 0xff, 0x34, 2, 9, 10)), { maxLength: 48 })
  .map((a) => Uint8Array.from(a));
const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 48 }),
  nearBinaryPayload,
  fc.array(enginePacket({ binaryTypes: true }), { maxLength: 4 }).chain((packets) => {
    const body = encodeV3BinaryPayload(packets);
    return fc.tuple(fc.nat({ max: Math.max(0, body.length - 1) }), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
      const copy = body.slice();
      if (copy.length > 0) copy[i] = b;
      return copy;
    });
  }),
);

/** Every property of a packet that `SocketDecoder` promises about what it returns. */
function assertValidPacket(p: SocketPacket): void {
  assert.ok(Number.isInteger(p.type) && p.type >= 0 && p.type <= 6);
  assert.ok(p.nsp.startsWith("/"));
  assert.equal("attachments" in p, false);
  if (p.id !== undefined) assert.ok(Number.isSafeInteger(p.id) && p.id >= 0);
  switch (p.type) {
    case PacketType.CONNECT:
      assert.ok(p.data === undefined || (typeof p.data === "object" && p.data !== null && !Array.isArray(p.data)));
      break;
    case PacketType.DISCONNECT:
      assert.equal(p.data, undefined);
      break;
    case PacketType.EVENT:
    case PacketType.BINARY_EVENT: {
      assert.ok(Array.isArray(p.data) && p.data.length > 0);
      const name: unknown = p.data[0];
      assert.ok(typeof name === "number" || (typeof name === "string" && !RESERVED_EVENTS.has(name)));
      break;
    }
    case PacketType.ACK:
    case PacketType.BINARY_ACK:
      assert.ok(Array.isArray(p.data));
      break;
    case PacketType.CONNECT_ERROR:
      assert.ok(
        typeof p.data === "string" || (typeof p.data === "object" && p.data !== null && !Array.isArray(p.data)),
      );
      break;
  }
}

describe("fuzz: only ProtocolError escapes", () => {
  const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  test("Engine.IO v4 decodeEnginePacket / decodePayload", () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        onlyProtocolErrors(() => decodeEnginePacket(input));
        onlyProtocolErrors(() => decodePayload(input));
        onlyProtocolErrors(() => decodePayload(input, { maxPackets: 2 }));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), (input) => {
        assert.deepEqual(decodeEnginePacket(input), { type: "message", data: input });
      }),
      { numRuns: 200 },
    );
  });

  test("Engine.IO v3 decodeV3Packet / decodeV3Payload", () => {
    fc.assert(
      fc.property(
        fc.oneof(anyInput, mutated(fc.constantFrom("6:4hello6:4world", "10:b4AQIDBA==", "0:", "2:40"))),
        (input) => {
          onlyProtocolErrors(() => decodeV3Packet(input));
          onlyProtocolErrors(() => decodeV3Payload(input));
          onlyProtocolErrors(() => decodeV3Payload(input, { maxPackets: 2 }));
        },
      ),
      RUNS,
    );
  });

  test("Engine.IO v3 decodeV3BinaryPayload and binary frames", () => {
    fc.assert(
      fc.property(anyBytes, (input) => {
        onlyProtocolErrors(() => decodeV3BinaryPayload(input));
        onlyProtocolErrors(() => decodeV3BinaryPayload(input, { maxPackets: 1 }));
        onlyProtocolErrors(() => decodeV3Packet(input));
      }),
      RUNS,
    );
  });

  test("decodeBase64 and decodeUtf8", () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        onlyProtocolErrors(() => decodeBase64(input));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(anyBytes, (input) => {
        assert.equal(typeof decodeUtf8(input), "string", "decodeUtf8 never throws");
      }),
      RUNS,
    );
  });

  test("decodePacketText and splitV4Namespace", () => {
    fc.assert(
      fc.property(socketInput, fc.nat({ max: 12 }), (input, maxAttachments) => {
        onlyProtocolErrors(() => decodePacketText(input));
        onlyProtocolErrors(() => decodePacketText(input, maxAttachments));
        const { name, query } = splitV4Namespace(input);
        assert.ok(input.startsWith(name) && input.endsWith(query));
      }),
      RUNS,
    );
  });

  test("SocketDecoder.add over random frame sequences; what it returns is valid", () => {
    const frame = fc.oneof(
      { weight: 4, arbitrary: socketInput },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4 }) },
    );
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 12 }), (frames) => {
        const decoder = new SocketDecoder();
        for (const f of frames) {
          onlyProtocolErrors(() => {
            const packet = decoder.add(f);
            if (packet !== undefined) assertValidPacket(packet);
          });
        }
      }),
      RUNS,
    );
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), protoKeys);
  });

  test("reconstructPayload over random JSON", () => {
    fc.assert(
      fc.property(fc.oneof(socketInput, fc.json()), fc.nat({ max: 3 }), (text, count) => {
        let data: unknown;
        try {
          data = JSON.parse(text.replace(/^\d+-?/, ""));
        } catch {
          return;
        }
        const attachments = Array.from({ length: count }, (_, i) => Uint8Array.of(i));
        onlyProtocolErrors(() => reconstructPayload(data, attachments));
      }),
      RUNS,
    );
  });

  test("hostile shapes: deep nesting, huge numbers, long frames", () => {
    const deep = 200_000;
    const frames = [
      '2["x",' + "[".repeat(deep) + "]".repeat(deep) + "]",
      '51-["x",' + "[".repeat(deep) + '{"_placeholder":true,"num":0}' + "]".repeat(deep) + "]",
      '51-["x",' + "[".repeat(5000) + '{"_placeholder":true,"num":0}' + "]".repeat(5000) + "]",
      "2" + "9".repeat(100_000) + '["x"]',
      "5" + "9".repeat(100_000) + "-",
      "2/" + "a".repeat(1_000_000),
      '2["' + "a".repeat(1_000_000) + '"]',
    ];
    const start = Date.now();
    for (const f of frames) {
      const decoder = new SocketDecoder();
      onlyProtocolErrors(() => {
        if (decoder.add(f) === undefined) decoder.add(Uint8Array.of(1));
      });
    }
    onlyProtocolErrors(() => decodeV3Payload("9".repeat(16) + ":" + "4".repeat(1000)));
    onlyProtocolErrors(() => decodeBase64("A".repeat(1_000_001)));
    assert.ok(Date.now() - start < 5000, "hostile frames are handled in bounded time");
  });
});
