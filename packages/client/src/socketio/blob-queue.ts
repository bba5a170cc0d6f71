/**
 * Blob and File in emits (socket.io-client sends them as binary attachments). Reading a Blob is
 * asynchronous, so a packet holding Blobs waits in the Manager's queue until the platform has
 * read them (`Platform.isBlob`/`readBlob`: the core never looks for a global `Blob`), and every
 * packet written after it waits behind it: the wire order is the emit order. This file finds
 * the Blobs and swaps in what was read. Only arrays and plain
 * objects are searched, to depth 32 (class instances such as `Date` are left to `toJSON`).
 */
import type { SocketPacket } from "@omnio/protocol";

/** A packet and its compression wish, waiting in the Manager's queue for its Blobs. */
export interface QueuedPacket {
  packet: SocketPacket & { compress?: boolean };
  /** The Blobs found in `packet.data`, read before it is written. */
  blobs: unknown[];
}

const MAX_DEPTH = 32;

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Appends to `out` the Blobs in `value` (arrays and plain objects, to depth 32). */
export function findBlobs(value: unknown, isBlob: (data: unknown) => boolean, out: unknown[], depth: number): void {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return;
  if (isBlob(value)) out.push(value);
  else if (Array.isArray(value)) for (const item of value) findBlobs(item, isBlob, out, depth + 1);
  else if (isPlain(value))
    for (const key of Object.keys(value)) findBlobs((value as Record<string, unknown>)[key], isBlob, out, depth + 1);
}

/** A copy of `value` where each Blob read is its `ArrayBuffer` (the user's objects stay untouched). */
export function replaceBlobs(value: unknown, buffers: Map<unknown, ArrayBuffer>, depth: number): unknown {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
  const buffer = buffers.get(value);
  if (buffer !== undefined) return buffer;
  if (Array.isArray(value)) return value.map((item) => replaceBlobs(item, buffers, depth + 1));
  if (!isPlain(value)) return value;
  // Object.fromEntries defines data properties: a "__proto__" key stays a plain data key.
  return Object.fromEntries(
    Object.keys(value).map((key) => [key, replaceBlobs((value as Record<string, unknown>)[key], buffers, depth + 1)]),
  );
}
