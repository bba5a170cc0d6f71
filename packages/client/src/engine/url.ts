/**
 * URL helpers without the `URL` global (absent on several mini-program hosts).
 */

const URL_RE = /^(http|ws)(s?):\/\/([^/?#]+)/i;

/**
 * The server's origin without its scheme's base: `s://host[:port]` for `https:`/`wss:` URLs,
 * `://host[:port]` for `http:`/`ws:` ones, so that `"http" + origin` and `"ws" + origin` are the
 * polling and WebSocket origins. IPv6 literals keep their brackets. A URL without scheme is
 * taken as `https://` (as in Node).
 */
export function parseServerOrigin(uri: string): string {
  const match = URL_RE.exec(uri.includes("://") ? uri : "https://" + uri);
  if (match === null) throw new TypeError(`The URL "${uri}" is not an http(s) or ws(s) URL.`);
  return match[2]!.toLowerCase() + "://" + match[3]!;
}

/** Encodes a query object as `a=1&b=2` (keys in insertion order). */
export function encodeQuery(query: Readonly<Record<string, string>>): string {
  return Object.keys(query)
    .map((key) => encodeURIComponent(key) + "=" + encodeURIComponent(query[key]!))
    .join("&");
}
