/**
 * A minimal cookie jar for the Node platform: keeps `name=value` pairs from `Set-Cookie`
 * response headers and replays them as one `Cookie` header, so cookie-based sticky sessions
 * (load balancers, engine.io's `cookie` option) route every request of a session to the same
 * node. Scoped to one platform instance; attributes other than `Max-Age=0`/`Expires` in the
 * past (deletion) are ignored.
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** Records the cookies of one response (`set-cookie` as Node gives it). */
  store(setCookie: string | readonly string[] | undefined, now: number): void {
    if (setCookie === undefined) return;
    for (const line of typeof setCookie === "string" ? [setCookie] : setCookie) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (isDeletion(attributes, now)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  /** The `Cookie` header value, or `undefined` when the jar is empty. */
  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    let out = "";
    for (const [name, value] of this.#cookies) out += (out ? "; " : "") + name + "=" + value;
    return out;
  }
}

function isDeletion(attributes: readonly string[], now: number): boolean {
  for (const attribute of attributes) {
    const eq = attribute.indexOf("=");
    const key = (eq === -1 ? attribute : attribute.slice(0, eq)).trim().toLowerCase();
    const value = eq === -1 ? "" : attribute.slice(eq + 1).trim();
    if (key === "max-age" && Number(value) <= 0) return true;
    if (key === "expires" && Date.parse(value) <= now) return true;
  }
  return false;
}
