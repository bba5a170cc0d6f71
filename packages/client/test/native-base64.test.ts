/**
 * The `<script>` bundle's base64 codec (src/platforms/browser/native-base64.ts, on `btoa`/`atob`)
 * against the protocol's pure codec it replaces: same text, same bytes, same `ProtocolError`s.
 * Node has `btoa`/`atob` as globals, as browsers and workers do.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ProtocolError, decodeBase64 as pureDecode, encodeBase64 as pureEncode } from "@omnio/protocol";
import { decodeBase64, encodeBase64 } from "../dist/platforms/browser/native-base64.js";

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

test("the browser bundle carries the native codec, not the pure one", () => {
  const code = readFileSync(new URL("../dist/bundle/omnio.min.js", import.meta.url), "utf8");
  assert.match(code, /atob\(/);
  assert.doesNotMatch(code, /ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\+\//);
});
