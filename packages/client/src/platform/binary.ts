/** Runtime-neutral binary helpers shared by platform adapters and the engine. */

/**
 * Returns an `ArrayBuffer` holding exactly the bytes of `view`: its own buffer when the view
 * spans all of it, otherwise a copy (never a pooled backing store such as Node's `Buffer` pool).
 */
export function viewToArrayBuffer(view: ArrayBufferView): ArrayBuffer {
  const buffer = view.buffer;
  if (buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === buffer.byteLength) return buffer;
  const out = new ArrayBuffer(view.byteLength);
  new Uint8Array(out).set(new Uint8Array(buffer, view.byteOffset, view.byteLength));
  return out;
}

/**
 * Normalises the binary types every ES2022 host has (`ArrayBuffer`, typed arrays, `DataView`,
 * and therefore Node's `Buffer`) to an exact `ArrayBuffer`; `undefined` for anything else.
 */
export function standardToArrayBuffer(data: unknown): ArrayBuffer | undefined {
  if (data instanceof ArrayBuffer) return data;
  if (ArrayBuffer.isView(data)) return viewToArrayBuffer(data);
  return undefined;
}
