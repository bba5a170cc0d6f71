/**
 * Mini-program hosts keep no cookies (miniprogram-platforms §2.7 rule 7; `tt` only when opted in),
 * so cookie-based sticky load balancers would route each polling request anywhere. This keeps the
 * `name=value` pairs of `Set-Cookie` (from WeChat's `cookies` array or the response headers) for
 * one platform instance and replays them as a `cookie` header on requests and the WebSocket
 * handshake. `Max-Age=0` deletes; other attributes are ignored.
 */
export class CookieStore {
  readonly #cookies = new Map<string, string>();

  /** Records `Set-Cookie` lines (a string, possibly comma-joined by the host, or an array). */
  store(lines: unknown): void {
    if (lines === undefined || lines === null) return;
    const list: unknown[] = Array.isArray(lines) ? lines : [lines];
    for (const entry of list) {
      if (typeof entry !== "string") continue;
      // Hosts that flatten headers join several Set-Cookie values with ", "; an `Expires` date
      // also holds ", ", so split only where a new `name=` follows.
      for (const line of entry.split(/,\s*(?=[^;,=\s]+=)/)) this.#storeOne(line);
    }
  }

  #storeOne(line: string): void {
    const [pair = "", ...attributes] = line.split(";");
    const eq = pair.indexOf("=");
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const deleted = attributes.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a));
    if (deleted) this.#cookies.delete(name);
    else this.#cookies.set(name, pair.slice(eq + 1).trim());
  }

  /** The `cookie` header value, or `undefined` when nothing is stored. */
  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    let out = "";
    for (const [name, value] of this.#cookies) out += (out ? "; " : "") + name + "=" + value;
    return out;
  }
}
