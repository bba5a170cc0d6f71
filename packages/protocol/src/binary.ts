/**
 * Binary detection and the placeholder scheme of Socket.IO v5 (spec "Packet encoding",
 * BINARY_EVENT / BINARY_ACK): binary values in a payload are replaced, depth first, by
 * `{"_placeholder":true,"num":i}` and sent as separate attachments.
 */
import { ProtocolError } from "./errors.js";

// Blob/File exist in browsers, workers, Deno, Bun and Node 18+, but not in every mini-program
// runtime: look them up by `typeof` so that a missing one is simply never matched.
declare const Blob: (abstract new (...args: never[]) => object) | undefined;

/** A binary value the encoder turns into an attachment. */
export type BinaryLike = ArrayBuffer | ArrayBufferView;

/** True for ArrayBuffer, any typed array or DataView (Node's Buffer included), and Blob/File. */
export function isBinary(value: unknown): value is BinaryLike {
  // `instanceof` and `isView` are false for primitives and null.
  return (
    value instanceof ArrayBuffer || ArrayBuffer.isView(value) || (typeof Blob === "function" && value instanceof Blob)
  );
}

/** True when a payload holds binary anywhere (following `toJSON` once, like socket.io-parser). */
export function hasBinary(value: unknown, toJSONFollowed = false): boolean {
  if (typeof value !== "object" || value === null) return false;
  // Loops, not `some()`: this runs on every packet sent.
  if (Array.isArray(value)) {
    for (const item of value) if (hasBinary(item)) return true;
    return false;
  }
  if (isBinary(value)) return true;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function" && !toJSONFollowed) return hasBinary((toJSON as () => unknown).call(value), true);
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key) && hasBinary((value as Record<string, unknown>)[key])) {
      return true;
    }
  }
  return false;
}

/** Replaces binary values by placeholders; returns the new payload and the attachments in order. */
export function deconstructPayload(data: unknown): { data: unknown; attachments: BinaryLike[] } {
  const attachments: BinaryLike[] = [];
  return { data: replaceBinary(data, attachments), attachments };
}

function replaceBinary(value: unknown, out: BinaryLike[]): unknown {
  if (typeof value !== "object" || value === null || value instanceof Date) return value;
  if (isBinary(value)) return { _placeholder: true, num: out.push(value) - 1 };
  if (Array.isArray(value)) return value.map((item) => replaceBinary(item, out));
  const copy = {};
  for (const key of Object.keys(value)) {
    // Defined, not assigned: a key named "__proto__" must stay an own property, never reach
    // the prototype setter.
    Object.defineProperty(copy, key, {
      value: replaceBinary((value as Record<string, unknown>)[key], out),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/**
 * Puts attachments back in place of their placeholders, in place. A placeholder whose
 * `num` is not an integer within `[0, attachments.length)` throws
 * `ProtocolError("INVALID_PLACEHOLDER")` (CVE-2022-2421).
 */
export function reconstructPayload(data: unknown, attachments: readonly unknown[]): unknown {
  return restore(data, attachments, 0);
}

/**
 * Deepest nesting of arrays and objects a received payload may have. `JSON.parse` accepts
 * any depth, but `JSON.stringify` and the recursive walks here overflow the stack at a few
 * thousand levels, so an echoed payload deeper than this could not be encoded again.
 */
export const MAX_PAYLOAD_DEPTH = 1000;

function restore(value: unknown, attachments: readonly unknown[], depth: number): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (depth > MAX_PAYLOAD_DEPTH) throw new ProtocolError("INVALID_PAYLOAD", "Payload nested too deeply.");
  const record = value as Record<string, unknown>;
  if (record["_placeholder"] === true) {
    // Like socket.io-parser, a placeholder without a valid `num` (missing included) is refused.
    const num = Object.prototype.hasOwnProperty.call(record, "num") ? record["num"] : undefined;
    if (Number.isInteger(num) && (num as number) >= 0 && (num as number) < attachments.length) {
      return attachments[num as number];
    }
    throw new ProtocolError("INVALID_PLACEHOLDER", "Placeholder index out of range.");
  }
  // Arrays too (their indexes). Own-property writes only: JSON.parse makes "__proto__" an own
  // data property, so assigning to it here never touches the prototype.
  for (const key of Object.keys(record)) record[key] = restore(record[key], attachments, depth + 1);
  return value;
}
