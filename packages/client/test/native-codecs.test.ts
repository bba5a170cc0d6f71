/**
 * The `<script>` bundle's base64 and UTF-8 code (src/platforms/browser/native-base64.ts on
 * `btoa`/`atob`, native-utf8.ts on `TextEncoder`/`TextDecoder`) against the protocol's pure code
 * it replaces: same text, same bytes, same `ProtocolError`s. Node has these globals, as browsers
 * and workers do.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as pure from "@omnio/protocol";
import { ProtocolError, decodeBase64 as pureDecode, encodeBase64 as pureEncode } from "@omnio/protocol";
import { decodeBase64, encodeBase64 } from "../dist/platforms/browser/native-base64.js";
import { decodeUtf8, encodeUtf8, utf8Length } from "../dist/platforms/browser/native-utf8.js";

function outcome(fn: () => Uint8Array): string {
  try {
    return "ok " + Buffer.from(fn()).toString("hex");
  } catch (error) {
    assert.ok(error instanceof ProtocolError, String(error));
    return `${error.code} ${error.message}`;
  }
}

test("encodeBase64 gives the pure codec's text (every length 0..70, every byte, 200 KB)", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (let n = 0; n <= 70; n++) assert.equal(encodeBase64(all.subarray(0, n)), pureEncode(all.subarray(0, n)));
  const big = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919) & 255);
  assert.equal(encodeBase64(big), pureEncode(big));
  assert.equal(encodeBase64(all.subarray(3, 9)), pureEncode(all.subarray(3, 9)), "a view with an offset");
});

test("decodeBase64 accepts and refuses what the pure codec does, with the same errors", () => {
  const inputs = [
    "",
    "QQ==",
    "QUI=",
    "QUJD",
    "QQ",
    "QUI",
    "QR",
    "QR==",
    "/+/+",
    "A",
    "A=",
    "A==",
    "A===",
    "AB=",
    "AB==",
    "ABC=",
    "ABC==",
    "ABCD=",
    "ABCD==",
    "====",
    "=",
    "QU JD",
    " QUJD",
    "QUJD\n",
    "QU\tJD",
    "QUJD*",
    "QUJ-",
    "QUJ_",
    "é",
    "QUJD=QUJD",
    "QUJDQQ",
    "QUJDQQ=",
    "QUJDQ",
    "AAAA".repeat(1000) + "AA",
  ];
  for (const text of inputs)
    assert.equal(
      outcome(() => decodeBase64(text)),
      outcome(() => pureDecode(text)),
      JSON.stringify(text),
    );
  const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 255);
  assert.deepEqual(decodeBase64(pureEncode(bytes)), bytes);
});

const TEXTS = [
  "",
  "a",
  "héllo",
  "€",
  "日本語",
  "😀",
  "a😀b",
  "\ud800",
  "\udc00",
  "x\ud800y",
  "\ud83d\ude00\ud83d",
  "\udbff\udfff",
  "\u07ff\u0800\uffff",
  "\0",
  "x".repeat(70_000) + "é",
];

test("utf8Length and encodeUtf8 match the pure code (lone surrogates as U+FFFD)", () => {
  for (const text of TEXTS) {
    assert.equal(utf8Length(text), pure.utf8Length(text), JSON.stringify(text.slice(0, 20)));
    assert.deepEqual(encodeUtf8(text), pure.encodeUtf8(text), JSON.stringify(text.slice(0, 20)));
  }
});

test("decodeUtf8 matches the pure code on valid and malformed bytes", () => {
  const inputs = [
    [],
    [0x41],
    [0xc3, 0xa9],
    [0xe2, 0x82, 0xac],
    [0xf0, 0x9f, 0x98, 0x80],
    [0x80],
    [0xbf, 0x41],
    [0xc0, 0x80],
    [0xc1, 0xbf],
    [0xc2],
    [0xc2, 0x41],
    [0xe0, 0x80, 0x80],
    [0xe0, 0xa0],
    [0xed, 0xa0, 0x80],
    [0xed, 0x9f, 0xbf],
    [0xf0, 0x80, 0x80, 0x80],
    [0xf0, 0x90, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xf5, 0x80],
    [0xff, 0xfe, 0x41],
    [0xe2, 0x82],
    [0xf0, 0x9f, 0x98],
    [0x41, 0xf0, 0x9f, 0x41],
  ];
  for (const bytes of inputs) {
    const view = Uint8Array.from(bytes);
    assert.equal(decodeUtf8(view), pure.decodeUtf8(view), JSON.stringify(bytes));
  }
  for (const text of TEXTS) assert.equal(decodeUtf8(pure.encodeUtf8(text)), pure.decodeUtf8(pure.encodeUtf8(text)));
});

test("the browser bundle carries the native code, not the pure one", () => {
  const code = readFileSync(new URL("../dist/bundle/omnio.min.js", import.meta.url), "utf8");
  assert.match(code, /atob\(/);
  assert.match(code, /new TextEncoder\(\)/);
  assert.doesNotMatch(code, /56319/, "the pure utf8Length's surrogate bound");
  assert.doesNotMatch(code, /ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\+\//);
});
