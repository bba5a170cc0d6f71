/**
 * Blob support for platform adapters: `isBlob`/`readBlob` (see `Platform`) over a host's `Blob`
 * class, which the adapter passes in (the core never looks for a global `Blob`).
 */
import type { Platform } from "./contract.js";

/** The part of a host `Blob` class used here (`File` extends it). */
export type BlobClass = abstract new (...args: never[]) => BlobLike;
/** What is read from a Blob. */
export interface BlobLike {
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * `isBlob` and `readBlob` for `BlobClass` (read with `Blob.prototype.arrayBuffer`), or nothing
 * when the host has no Blob.
 *
 * @example
 * return { ...platform, ...blobSupport(globalThis.Blob) };
 */
export function blobSupport(BlobClass: BlobClass | undefined): Pick<Platform, "isBlob" | "readBlob"> {
  if (BlobClass === undefined) return {};
  return {
    isBlob: (data) => data instanceof BlobClass,
    readBlob(blob, callback) {
      (blob as BlobLike).arrayBuffer().then(callback, (error: unknown) => callback(undefined, error));
    },
  };
}
