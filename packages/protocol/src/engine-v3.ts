/**
 * Engine.IO v3 (Socket.IO 1.x/2.x clients, `EIO=3`) framing, encode/decode only.
 * Differences from v4 (protocol spec v3): binary WebSocket frames carry a leading type
 * byte; text-only binary is `b<type><base64>`; polling payloads are length-prefixed
 * (`<utf16 length>:<packet>`), or a binary payload when the client supports binary.
 */
import { decodeBase64, encodeBase64 } from "./base64.js";
import { ENGINE_PACKET_TYPES, type Base64Decoder, type EnginePacket, type EnginePacketType } from "./engine-packet.js";
import { ProtocolError } from "./errors.js";
import { decodeUtf8, encodeUtf8 } from "./utf8.js";

function typeIndex(type: EnginePacketType): number {
  return ENGINE_PACKET_TYPES.indexOf(type);
}

function typeAt(code: number): EnginePacketType {
  const type = code >= 48 && code <= 54 ? ENGINE_PACKET_TYPES[code - 48] : undefined;
  if (type === undefined) throw new ProtocolError("INVALID_PACKET_TYPE", "Unknown Engine.IO packet type.");
  return type;
}

/** Encodes one v3 packet for a WebSocket frame (binary frames get a type byte prefix). */
export function encodeV3Packet(packet: EnginePacket): string | Uint8Array {
  if (typeof packet.data === "object") {
    const out = new Uint8Array(packet.data.length + 1);
    out[0] = typeIndex(packet.type);
    out.set(packet.data, 1);
    return out;
  }
  return typeIndex(packet.type) + (packet.data ?? "");
}

/** Encodes one v3 packet as text; binary becomes `b<type><base64>`. */
export function encodeV3PacketText(packet: EnginePacket, toBase64: (b: Uint8Array) => string = encodeBase64): string {
  if (typeof packet.data === "object") return "b" + typeIndex(packet.type) + toBase64(packet.data);
  return typeIndex(packet.type) + (packet.data ?? "");
}

/** Decodes one v3 packet from a WebSocket frame or a payload entry. */
export function decodeV3Packet(frame: string | Uint8Array, fromBase64: Base64Decoder = decodeBase64): EnginePacket {
  if (typeof frame !== "string") {
    if (frame.length === 0) throw new ProtocolError("INVALID_PACKET", "Empty binary Engine.IO v3 frame.");
    const type = ENGINE_PACKET_TYPES[frame[0]!];
    if (type === undefined) throw new ProtocolError("INVALID_PACKET_TYPE", "Unknown Engine.IO packet type.");
    return { type, data: frame.subarray(1) };
  }
  if (frame.length === 0) throw new ProtocolError("INVALID_PACKET_TYPE", "Empty Engine.IO packet.");
  if (frame.charCodeAt(0) === 98 /* b */) {
    return { type: typeAt(frame.charCodeAt(1)), data: fromBase64(frame.slice(2)) };
  }
  const type = typeAt(frame.charCodeAt(0));
  return frame.length > 1 ? { type, data: frame.slice(1) } : { type };
}

/** Encodes a v3 text payload: `<length>:<packet>` per packet, length in UTF-16 code units; `0:` when empty. */
export function encodeV3Payload(packets: readonly EnginePacket[], toBase64?: (b: Uint8Array) => string): string {
  if (packets.length === 0) return "0:";
  let out = "";
  for (const p of packets) {
    const text = encodeV3PacketText(p, toBase64);
    out += text.length + ":" + text;
  }
  return out;
}

/** Decodes a v3 text payload. Any malformed length prefix throws `ProtocolError("INVALID_LENGTH")`. */
export function decodeV3Payload(
  payload: string,
  options: { maxPackets?: number; fromBase64?: Base64Decoder } = {},
): EnginePacket[] {
  const max = options.maxPackets ?? Infinity;
  if (payload === "0:") return [];
  if (payload.length === 0) throw new ProtocolError("INVALID_LENGTH", "Empty Engine.IO v3 payload.");
  const packets: EnginePacket[] = [];
  let i = 0;
  while (i < payload.length) {
    const colon = payload.indexOf(":", i);
    // A length never needs more than 16 digits; bounding the scan keeps hostile inputs linear.
    if (colon === -1 || colon === i || colon - i > 16) {
      throw new ProtocolError("INVALID_LENGTH", "Malformed Engine.IO v3 payload length.");
    }
    const digits = payload.slice(i, colon);
    if (!/^\d+$/.test(digits)) throw new ProtocolError("INVALID_LENGTH", "Malformed Engine.IO v3 payload length.");
    const length = Number(digits);
    const start = colon + 1;
    if (length === 0 || start + length > payload.length) {
      throw new ProtocolError("INVALID_LENGTH", "Engine.IO v3 payload length exceeds the body.");
    }
    if (packets.length >= max) throw new ProtocolError("INVALID_PAYLOAD", "Too many packets in one payload.");
    packets.push(decodeV3Packet(payload.slice(start, start + length), options.fromBase64));
    i = start + length;
  }
  return packets;
}

/**
 * Encodes a v3 binary payload (XHR2 clients without `b64=1`): per packet a `0x00` (text) or
 * `0x01` (binary) marker, the length as one byte per decimal digit, `0xFF`, then the bytes
 * (text packets as UTF-8).
 */
export function encodeV3BinaryPayload(packets: readonly EnginePacket[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const p of packets) {
    const isBinary = typeof p.data === "object";
    const body = isBinary ? (encodeV3Packet(p) as Uint8Array) : encodeUtf8(encodeV3PacketText(p));
    const digits = String(body.length);
    const head = new Uint8Array(digits.length + 2);
    head[0] = isBinary ? 1 : 0;
    for (let d = 0; d < digits.length; d++) head[d + 1] = digits.charCodeAt(d) - 48;
    head[head.length - 1] = 0xff;
    parts.push(head, body);
    total += head.length + body.length;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const part of parts) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

/** Decodes a v3 binary payload; throws `ProtocolError("INVALID_LENGTH")` on any malformed header. */
export function decodeV3BinaryPayload(payload: Uint8Array, options: { maxPackets?: number } = {}): EnginePacket[] {
  const max = options.maxPackets ?? Infinity;
  const packets: EnginePacket[] = [];
  let i = 0;
  while (i < payload.length) {
    const marker = payload[i++]!;
    if (marker > 1) throw new ProtocolError("INVALID_LENGTH", "Malformed Engine.IO v3 binary payload marker.");
    let length = 0;
    let digits = 0;
    for (;;) {
      if (i >= payload.length) throw new ProtocolError("INVALID_LENGTH", "Truncated Engine.IO v3 binary payload.");
      const b = payload[i++]!;
      if (b === 0xff) break;
      if (b > 9 || ++digits > 16)
        throw new ProtocolError("INVALID_LENGTH", "Malformed Engine.IO v3 binary payload length.");
      length = length * 10 + b;
    }
    if (digits === 0 || i + length > payload.length) {
      throw new ProtocolError("INVALID_LENGTH", "Engine.IO v3 binary payload length exceeds the body.");
    }
    if (packets.length >= max) throw new ProtocolError("INVALID_PAYLOAD", "Too many packets in one payload.");
    const body = payload.subarray(i, i + length);
    packets.push(marker === 1 ? decodeV3Packet(body) : decodeV3Packet(decodeUtf8(body)));
    i += length;
  }
  return packets;
}
