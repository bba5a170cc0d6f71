/**
 * URL helpers without the `URL` global (absent on several mini-program hosts).
 */

/** The parts of a server URL the engine needs. */
export interface ServerAddress {
  /** `https:`/`wss:` (true) or `http:`/`ws:` (false). */
  secure: boolean;
  /** `hostname[:port]`, IPv6 literals keep their brackets. */
  host: string;
}

const URL_RE = /^(https?|wss?):\/\/([^/?#]+)/i;

/** Parses `http(s)://` or `ws(s)://` URLs; a URL without scheme is taken as `https://` (as in Node). */
export function parseServerAddress(uri: string): ServerAddress {
  const match = URL_RE.exec(uri.includes("://") ? uri : "https://" + uri);
  if (match === null) throw new TypeError(`The URL "${uri}" is not an http(s) or ws(s) URL.`);
  const scheme = match[1]!.toLowerCase();
  return { secure: scheme === "https" || scheme === "wss", host: match[2]! };
}

/** Encodes a query object as `a=1&b=2` (keys in insertion order). */
export function encodeQuery(query: Readonly<Record<string, string>>): string {
  let out = "";
  for (const key of Object.keys(query)) {
    if (out.length > 0) out += "&";
    out += encodeURIComponent(key) + "=" + encodeURIComponent(query[key]!);
  }
  return out;
}

/** Builds the endpoint URL of one transport request. */
export function buildUrl(
  address: ServerAddress,
  scheme: "http" | "ws",
  path: string,
  addTrailingSlash: boolean,
  query: Readonly<Record<string, string>>,
): string {
  const base = (scheme === "http" ? "http" : "ws") + (address.secure ? "s" : "") + "://" + address.host;
  let p = path.startsWith("/") ? path : "/" + path;
  if (addTrailingSlash && !p.endsWith("/")) p += "/";
  const q = encodeQuery(query);
  return base + p + (q.length > 0 ? "?" + q : "");
}
