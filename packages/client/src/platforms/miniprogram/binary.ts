/** Binary normalisation for mini-program hosts (miniprogram-platforms §1.10 rules 7–8). */
import { decodeBase64, encodeBase64 } from "@omnio/protocol";
import { standardToArrayBuffer, viewToArrayBuffer } from "../../platform/binary.js";

/** What a task's `send` is given for one binary frame. */
export interface OutgoingBinary {
  data: string | ArrayBuffer;
  isBuffer?: boolean;
}

/** How binary frames are sent: natively, or base64 text flagged `isBuffer` (old Alipay clients). */
export type BinaryMode = "arraybuffer" | "base64";

/** Encodes an outgoing binary frame for `mode`. */
export function encodeBinary(data: ArrayBuffer, mode: BinaryMode): OutgoingBinary {
  if (mode === "arraybuffer") return { data };
  return { data: encodeBase64(new Uint8Array(data)), isBuffer: true };
}

/**
 * The frame of a `onMessage` payload as a string or an exact `ArrayBuffer`: `{ data }` (WeChat
 * family), `{ data: { data, isBuffer } }` (Alipay typing) or `{ data, isBuffer }` (Alipay docs);
 * base64 text is decoded only when `isBuffer` says so. `undefined` when there is no frame.
 */
export function messageData(payload: unknown): string | ArrayBuffer | undefined {
  if (typeof payload !== "object" || payload === null) return undefined;
  let data = (payload as { data?: unknown }).data;
  let isBuffer = (payload as { isBuffer?: unknown }).isBuffer === true;
  if (
    typeof data === "object" &&
    data !== null &&
    !(data instanceof ArrayBuffer) &&
    !ArrayBuffer.isView(data) &&
    "data" in data
  ) {
    isBuffer = (data as { isBuffer?: unknown }).isBuffer === true || isBuffer;
    data = (data as { data?: unknown }).data;
  }
  if (typeof data === "string") return isBuffer ? viewToArrayBuffer(decodeBase64(data)) : data;
  return standardToArrayBuffer(data);
}
