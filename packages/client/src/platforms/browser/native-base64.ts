/**
 * The protocol's base64 codec (`@omnio/protocol` base64.js) on the host's `btoa`/`atob`, for the
 * `<script>` bundle only: `scripts/build-bundles.mjs` puts this module in place of the pure one
 * (every browser, Web Worker and Service Worker has both functions; other builds keep the pure
 * codec). Same results and the same `ProtocolError`s as the pure codec: `atob` alone is more
 * lenient (it skips whitespace), so the text is checked first (test/native-codecs.test.ts
 * compares both on the same inputs).
 */
import { ProtocolError } from "@omnio/protocol";

declare function btoa(data: string): string;
declare function atob(data: string): string;

/** Bytes → base64 with `=` padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let text = "";
  // In slices: a spread of a very large array would overflow the call stack.
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(text);
}

/** Base64 (up to two `=` of padding, which may be left out) → bytes; anything else throws. */
export function decodeBase64(text: string): Uint8Array {
  const body = text.replace(/={1,2}$/, "");
  if (body.length % 4 === 1) throw new ProtocolError("INVALID_BASE64", "Invalid base64 length.");
  if (/[^A-Za-z0-9+/]/.test(body)) throw new ProtocolError("INVALID_BASE64", "Invalid base64 character.");
  const binary = atob(body);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
