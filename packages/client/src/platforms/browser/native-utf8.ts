/**
 * The protocol's UTF-8 helpers (`@omnio/protocol` utf8.js) on the host's `TextEncoder` /
 * `TextDecoder`, for the `<script>` bundle only (`scripts/build-bundles.mjs` puts this module in
 * place of the pure one; every browser and worker has both classes). The results match the pure
 * code: lone surrogates count and encode as U+FFFD (3 bytes), malformed input decodes with
 * U+FFFD per maximal subpart (test/native-codecs.test.ts compares both).
 */
declare class TextEncoder {
  encode(text: string): Uint8Array;
}
declare class TextDecoder {
  decode(bytes: Uint8Array): string;
}

/** Text → UTF-8 bytes. */
export function encodeUtf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The UTF-8 byte length of `text`. */
export function utf8Length(text: string): number {
  return encodeUtf8(text).length;
}

/** UTF-8 bytes → text (invalid sequences become U+FFFD). */
export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
