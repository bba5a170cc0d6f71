/** Runtime-neutral binary helpers shared by platform adapters and the engine. */

/**
 * Returns an `ArrayBuffer` holding exactly the bytes of `view`: its own buffer when the view
 * spans all of it, otherwise a copy (never a pooled backing store such as Node's `Buffer` pool).
 */
export function viewToArrayBuffer(view: ArrayBufferView): ArrayBuffer {
  const buffer = view.buffer;
  return buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === buffer.byteLength
    ? buffer
    : // `Uint8Array#slice` copies into a new, exact `ArrayBuffer` (also from a `SharedArrayBuffer`).
      new Uint8Array(buffer, view.byteOffset, view.byteLength).slice().buffer;
}

/**
 * Normalises the binary types every ES2022 host has (`ArrayBuffer`, typed arrays, `DataView`,
 * and therefore Node's `Buffer`) to an exact `ArrayBuffer`; `undefined` for anything else.
 */
export function standardToArrayBuffer(data: unknown): ArrayBuffer | undefined {
  return data instanceof ArrayBuffer ? data : ArrayBuffer.isView(data) ? viewToArrayBuffer(data) : undefined;
}
