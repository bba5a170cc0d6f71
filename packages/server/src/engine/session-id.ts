/**
 * Session ids: 15 crypto-random bytes as 20 URL-safe base64 characters (the official
 * `base64id` shape), never `Math.random` (CVE-2017-16031).
 */
import { encodeBase64 } from "@omnio/protocol";

export function randomId(randomBytes: (n: number) => Uint8Array): string {
  return encodeBase64(randomBytes(15)).replace(/\//g, "_").replace(/\+/g, "-");
}
