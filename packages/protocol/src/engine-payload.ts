/**
 * Engine.IO v4 HTTP long-polling payloads (spec "Payload"): packets joined by the record
 * separator `\x1e`, binary packets written as `b<base64>`.
 */
import { decodeEnginePacket, encodeEnginePacketText, type Base64Decoder, type EnginePacket } from "./engine-packet.js";
import { ProtocolError } from "./errors.js";

/** The record separator between packets of a v4 polling payload. */
export const RECORD_SEPARATOR = "\x1e";

/** Joins packets into one polling payload. */
export function encodePayload(packets: readonly EnginePacket[], toBase64?: (b: Uint8Array) => string): string {
  let out = "";
  for (const packet of packets) out += (out && RECORD_SEPARATOR) + encodeEnginePacketText(packet, toBase64);
  return out;
}

/**
 * Splits a polling payload into packets. `maxPackets` bounds the work a single body can
 * cause; exceeding it throws `ProtocolError("INVALID_PAYLOAD")`.
 */
export function decodePayload(
  payload: string,
  options: { maxPackets?: number; fromBase64?: Base64Decoder } = {},
): EnginePacket[] {
  const max = options.maxPackets ?? Infinity;
  const packets: EnginePacket[] = [];
  for (let start = 0, end = 0; end >= 0; start = end + 1) {
    if (packets.length >= max) throw new ProtocolError("INVALID_PAYLOAD", "Too many packets in one payload.");
    end = payload.indexOf(RECORD_SEPARATOR, start);
    packets.push(decodeEnginePacket(payload.slice(start, end < 0 ? undefined : end), options.fromBase64));
  }
  return packets;
}
