/** Serialises the handshake `Set-Cookie` (RFC 6265 §4.1); attributes are validated. */
import type { CookieOptions } from "./options.js";

// RFC 6265 cookie-name/cookie-value and attribute characters (CVE-2024-47764).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ATTRIBUTE = /^[\u0021-\u003A\u003C-\u007E]*$/;

export function serializeCookie(value: string, o: CookieOptions & { name: string }): string {
  if (!TOKEN.test(o.name)) throw new TypeError(`The cookie name "${o.name}" is not a valid token.`);
  let out = `${o.name}=${encodeURIComponent(value)}`;
  if (o.maxAge !== undefined) out += `; Max-Age=${Math.floor(o.maxAge)}`;
  if (o.domain) {
    if (!ATTRIBUTE.test(o.domain)) throw new TypeError("The cookie domain contains invalid characters.");
    out += `; Domain=${o.domain}`;
  }
  if (o.path) {
    if (!ATTRIBUTE.test(o.path)) throw new TypeError("The cookie path contains invalid characters.");
    out += `; Path=${o.path}`;
  }
  if (o.expires) out += `; Expires=${o.expires.toUTCString()}`;
  if (o.httpOnly) out += "; HttpOnly";
  if (o.secure) out += "; Secure";
  if (o.sameSite) {
    const s = o.sameSite === true ? "Strict" : o.sameSite;
    out += "; SameSite=" + (s === "lax" ? "Lax" : s === "strict" ? "Strict" : s === "none" ? "None" : String(s));
  }
  return out;
}
