/**
 * Blob and File in emits (socket.io-client sends them as binary attachments). Reading a Blob is
 * asynchronous, so a packet holding Blobs waits in the Manager's queue until the platform has
 * read them (`Platform.isBlob`/`readBlob`: the core never looks for a global `Blob`), and every
 * packet written after it waits behind it: the wire order is the emit order. This file finds
 * the Blobs and swaps in what was read. Only arrays and plain
 * objects are searched, to depth 32 (class instances such as `Date` are left to `toJSON`).
 */
const MAX_DEPTH = 32;

/**
 * Walks the arrays and plain objects of `value`, to depth 32. With an array as `blobs`, appends
 * each Blob found to it; with a Map, returns a copy of `value` where each Blob is the
 * `ArrayBuffer` it maps to (the user's objects stay untouched).
 */
export function walkBlobs(
  value: unknown,
  isBlob: (data: unknown) => boolean,
  blobs: unknown[] | Map<unknown, ArrayBuffer>,
  depth = 0,
): unknown {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
  const find = Array.isArray(blobs);
  if (isBlob(value)) return find ? blobs.push(value) : blobs.get(value);
  const walk = (item: unknown): unknown => walkBlobs(item, isBlob, blobs, depth + 1);
  if (Array.isArray(value)) return value.map(walk);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const entries = Object.keys(value).map((key) => [key, walk((value as Record<string, unknown>)[key])]);
  // Object.fromEntries defines data properties: a "__proto__" key stays a plain data key.
  return find ? value : Object.fromEntries(entries);
}
