/** Node's primitives for the engine: crypto ids, Buffer base64, zlib, WebSocket frame preparation. */
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { deflate, gzip } from "node:zlib";
import { textFrame } from "./frame.js";
import type { EngineRuntime } from "../../engine/contracts.js";

const gzipAsync = promisify(gzip);
const deflateAsync = promisify(deflate);

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Creates the Node runtime; `prepareFrame` is omitted when permessage-deflate is on. */
export function nodeRuntime(preparedFrames: boolean): EngineRuntime {
  return {
    randomBytes: (n) => randomBytes(n),
    byteLength: (text) => Buffer.byteLength(text),
    toBase64: (bytes) => asBuffer(bytes).toString("base64"),
    fromBase64: (text) => Buffer.from(text, "base64"),
    toAppBinary: (bytes) => asBuffer(bytes),
    compress: (data, encoding) => {
      const input = typeof data === "string" ? Buffer.from(data) : asBuffer(data);
      return encoding === "gzip" ? gzipAsync(input) : deflateAsync(input);
    },
    ...(preparedFrames
      ? {
          // One WebSocket frame built once per broadcast and written as-is to every recipient.
          prepareFrame: (text: string): unknown => textFrame(text),
        }
      : {}),
  };
}
