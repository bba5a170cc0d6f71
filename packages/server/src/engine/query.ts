/** Query-string parsing into a prototype-less map (keys come from the client). */

/** A parsed query: first-class strings, arrays for repeated keys, no prototype. */
export type QueryMap = Record<string, string | string[] | undefined>;

/** Parses the query part of a request URL. `__proto__` and friends are plain keys here. */
export function parseQuery(url: string): QueryMap {
  const out: QueryMap = Object.create(null) as QueryMap;
  const q = url.indexOf("?");
  if (q === -1) return out;
  for (const [key, value] of new URLSearchParams(url.slice(q + 1))) {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[key] = [prev, value];
  }
  return out;
}

/** The first value of a query key. */
export function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
