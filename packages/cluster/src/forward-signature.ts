/**
 * The marker a node puts on a request it forwards: `x-omnio-forwarded: <from>;<hmac>`, with
 * an HMAC-SHA256 of the sender, method and URL under the cluster's shared secret.
 *
 * Loops: a request that carries the header is never forwarded again, whether or not its
 * signature checks out, so a misconfigured cluster (two nodes with different peer tables or
 * secrets) cannot bounce a request around. Spoofing: a node serves a marked request only
 * when the signature is valid; a client that sends the header itself is refused with 400
 * (code 3, "Bad request"), which only harms that client. The header is removed before the
 * application sees the request.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const FORWARD_HEADER = "x-omnio-forwarded";

function mac(secret: string, from: string, method: string, url: string): Buffer {
  return createHmac("sha256", secret).update(`${from}\n${method}\n${url}`).digest();
}

/** The header value for a request forwarded by `from`. */
export function signForward(secret: string, from: string, method: string, url: string): string {
  return `${from};${mac(secret, from, method, url).toString("base64url")}`;
}

/** The sending node when `value` is a valid marker for this request, else undefined. */
export function verifyForward(secret: string, value: string, method: string, url: string): string | undefined {
  const semi = value.indexOf(";");
  if (semi <= 0) return undefined;
  const from = value.slice(0, semi);
  const given = Buffer.from(value.slice(semi + 1), "base64url");
  const expected = mac(secret, from, method, url);
  return given.length === expected.length && timingSafeEqual(given, expected) ? from : undefined;
}
