/**
 * The portable base64 (RFC 4648 §4) and UTF-8 helpers, checked against RFC vectors and
 * against Node's `Buffer` / `TextDecoder` as oracles.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ProtocolError, decodeBase64, decodeUtf8, encodeBase64, encodeUtf8, utf8Length } from "@omnio/protocol";
import { assertProtocolError, bytes, utf16Unit } from "./support.js";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("base64", () => {
  // RFC 4648 §10 test vectors.
  const RFC: Array<[string, string]> = [
    ["", ""],
    ["f", "Zg=="],
    ["fo", "Zm8="],
    ["foo", "Zm9v"],
    ["foob", "Zm9vYg=="],
    ["fooba", "Zm9vYmE="],
    ["foobar", "Zm9vYmFy"],
  ];
  for (const [plain, encoded] of RFC) {
    test(`RFC 4648 ${JSON.stringify(plain)} <-> ${JSON.stringify(encoded)}`, () => {
      assert.equal(encodeBase64(ascii(plain)), encoded);
      assert.deepEqual(decodeBase64(encoded), ascii(plain));
    });
  }

  test("the protocol vector AQIDBA== and every byte value", () => {
    assert.equal(encodeBase64(bytes(1, 2, 3, 4)), "AQIDBA==");
    assert.deepEqual(decodeBase64("AQIDBA=="), bytes(1, 2, 3, 4));
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.equal(encodeBase64(all), Buffer.from(all).toString("base64"));
    assert.deepEqual(decodeBase64(Buffer.from(all).toString("base64")), all);
  });

  test("padding may be omitted", () => {
    assert.deepEqual(decodeBase64("AQIDBA"), bytes(1, 2, 3, 4));
    assert.deepEqual(decodeBase64("AQIDBA="), bytes(1, 2, 3, 4));
    assert.deepEqual(decodeBase64("Zm8"), ascii("fo"));
  });

  for (const bad of [
    "A",
    "AQIDB",
    "A===",
    "====",
    "A=",
    "AQ==AQ==",
    "AQ=D",
    "AQID\n",
    "AQ ID",
    "AQ-_",
    "AQI\u00e9",
    "AQIDBA===",
    "\u0100AAA",
  ]) {
    test(`invalid ${JSON.stringify(bad)} is refused`, () => {
      assertProtocolError(() => decodeBase64(bad), "INVALID_BASE64");
    });
  }

  test("encode agrees with Buffer (property based)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        const text = encodeBase64(data);
        assert.equal(text, Buffer.from(data).toString("base64"));
        assert.deepEqual(decodeBase64(text), data);
        assert.deepEqual(decodeBase64(text.replace(/=+$/, "")), data);
      }),
      { numRuns: 1000 },
    );
  });

  test("whatever decodes, decodes as Buffer does (property based)", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    const unit = fc.constantFrom(...alphabet);
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        let ours: Uint8Array;
        try {
          ours = decodeBase64(text);
        } catch (err) {
          assert.ok(err instanceof ProtocolError && err.code === "INVALID_BASE64", String(err));
          return;
        }
        assert.deepEqual(ours, new Uint8Array(Buffer.from(text, "base64")));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("utf8", () => {
  const VECTORS: Array<[string, number[]]> = [
    ["", []],
    ["A", [0x41]],
    ["\u00e9", [0xc3, 0xa9]],
    ["\u20ac", [0xe2, 0x82, 0xac]],
    ["\u{1f600}", [0xf0, 0x9f, 0x98, 0x80]],
    ["\u{10ffff}", [0xf4, 0x8f, 0xbf, 0xbf]],
    ["\u07ff\u0800\uffff", [0xdf, 0xbf, 0xe0, 0xa0, 0x80, 0xef, 0xbf, 0xbf]],
  ];
  for (const [text, encoded] of VECTORS) {
    test(`${JSON.stringify(text)} <-> ${encoded.map((b) => b.toString(16)).join(" ")}`, () => {
      assert.deepEqual(encodeUtf8(text), Uint8Array.from(encoded));
      assert.equal(utf8Length(text), encoded.length);
      assert.equal(decodeUtf8(Uint8Array.from(encoded)), text);
    });
  }

  test("lone surrogates encode as U+FFFD, like TextEncoder", () => {
    for (const text of ["\ud800", "\udc00", "a\ud800b", "\ud800\ud800", "\udc00\ud800", "x\udbff"]) {
      const expected = new TextEncoder().encode(text);
      assert.deepEqual(encodeUtf8(text), expected, JSON.stringify(text));
      assert.equal(utf8Length(text), expected.length);
    }
  });

  test("invalid sequences decode to one U+FFFD per maximal subpart, like TextDecoder", () => {
    const cases: Array<[number[], string]> = [
      [[0x80], "\ufffd"],
      [[0xc0, 0xaf], "\ufffd\ufffd"],
      [[0xe2, 0x82], "\ufffd"],
      [[0xe2, 0x82, 0x41], "\ufffdA"],
      [[0xf0, 0x9f, 0x98], "\ufffd"],
      [[0xe0, 0x80, 0x80], "\ufffd\ufffd\ufffd"],
      [[0xed, 0xa0, 0x80], "\ufffd\ufffd\ufffd"],
      [[0xf4, 0x90, 0x80, 0x80], "\ufffd\ufffd\ufffd\ufffd"],
      [[0xff, 0x41], "\ufffdA"],
    ];
    for (const [input, expected] of cases) {
      const data = Uint8Array.from(input);
      assert.equal(decodeUtf8(data), new TextDecoder().decode(data), input.join(","));
      assert.equal(decodeUtf8(data), expected);
    }
  });

  test("long inputs decode in chunks", () => {
    const text = "\u00e9\u{1f600}abc".repeat(5000);
    assert.equal(decodeUtf8(encodeUtf8(text)), text);
  });

  test("string -> bytes -> string agrees with Buffer (property based)", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: "binary", maxLength: 64 }), fc.string({ unit: utf16Unit, maxLength: 64 })),
        (text) => {
          const encoded = encodeUtf8(text);
          const oracle = Buffer.from(text, "utf8");
          assert.deepEqual(encoded, new Uint8Array(oracle));
          assert.equal(utf8Length(text), oracle.length);
          assert.equal(decodeUtf8(encoded), oracle.toString("utf8"));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("arbitrary bytes decode as Buffer decodes them (property based)", () => {
    const nearUtf8 = fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0x80, max: 0xbf }),
      fc.constantFrom(0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xc0, 0xc1),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 32 }),
          fc.array(nearUtf8, { maxLength: 32 }).map((a) => Uint8Array.from(a)),
        ),
        (data) => {
          assert.equal(decodeUtf8(data), Buffer.from(data).toString("utf8"));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
