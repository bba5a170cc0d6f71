/**
 * Engine.IO v4 packets (protocol spec "Packet encoding", revision 4).
 * A packet is a one-character type followed by its data; binary `message` packets travel as
 * raw WebSocket binary frames, or as `b<base64>` where only text is possible (polling).
 */
import { decodeBase64, encodeBase64 } from "./base64.js";
import { ProtocolError } from "./errors.js";

/** The seven Engine.IO packet types, in wire order (`0`..`6`). */
export const ENGINE_PACKET_TYPES = ["open", "close", "ping", "pong", "message", "upgrade", "noop"] as const;
export type EnginePacketType = (typeof ENGINE_PACKET_TYPES)[number];

/** Bytes as every codec hands them out: a view, never a Node `Buffer` unless the caller made one. */
export type Bytes = Uint8Array;

/** One Engine.IO packet. Only `message` packets may carry binary `data`. */
export interface EnginePacket {
  type: EnginePacketType;
  data?: string | Bytes;
}

const TYPE_CODE: Readonly<Record<EnginePacketType, string>> = Object.freeze({
  open: "0",
  close: "1",
  ping: "2",
  pong: "3",
  message: "4",
  upgrade: "5",
  noop: "6",
});

/** Turns base64 text into bytes; runtimes may inject a native one (e.g. Node's `Buffer`). */
export type Base64Decoder = (text: string) => Bytes;

/**
 * Encodes a packet for a WebSocket frame: text packets as `<type><data>`, binary
 * `message` packets as the raw bytes.
 */
export function encodeEnginePacket(packet: EnginePacket): string | Bytes {
  if (typeof packet.data === "object") return packet.data;
  return TYPE_CODE[packet.type] + (packet.data ?? "");
}

/**
 * Encodes a packet as text only (polling payloads, `b64=1` clients): binary becomes
 * `b<base64>`.
 */
export function encodeEnginePacketText(packet: EnginePacket, toBase64: (b: Bytes) => string = encodeBase64): string {
  if (typeof packet.data === "object") return "b" + toBase64(packet.data);
  return TYPE_CODE[packet.type] + (packet.data ?? "");
}

/**
 * Decodes one packet from a WebSocket frame or one entry of a polling payload.
 * Throws `ProtocolError` for an empty frame, an unknown type or invalid base64.
 */
export function decodeEnginePacket(frame: string | Bytes, fromBase64: Base64Decoder = decodeBase64): EnginePacket {
  if (typeof frame !== "string") return { type: "message", data: frame };
  const code = frame.charCodeAt(0);
  if (code === 98 /* b */) return { type: "message", data: fromBase64(frame.slice(1)) };
  const type = code >= 48 && code <= 54 ? ENGINE_PACKET_TYPES[code - 48] : undefined;
  if (type === undefined) {
    throw new ProtocolError(
      "INVALID_PACKET_TYPE",
      frame ? "Unknown Engine.IO packet type." : "Empty Engine.IO packet.",
    );
  }
  return frame.length > 1 ? { type, data: frame.slice(1) } : { type };
}
