/**
 * Socket.IO packets (protocol v5, and v4 as spoken by 2.x clients), encoded as
 * `<type>[<attachments>-][<nsp>,][<ack id>][<JSON payload>]` (spec "Packet encoding").
 */
import { deconstructPayload, hasBinary, type BinaryLike } from "./binary.js";

/** Socket.IO packet types (spec "Packet types"). */
export const PacketType = Object.freeze({
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const);
export type PacketType = (typeof PacketType)[keyof typeof PacketType];

/** A decoded or to-be-encoded Socket.IO packet. `nsp` always starts with `/`. */
export interface SocketPacket {
  type: PacketType;
  nsp: string;
  data?: unknown;
  id?: number;
  attachments?: number;
}

/**
 * Event names that belong to the library, refused on the wire and in `emit()`.
 * `error` is deliberately absent: it is a legal event name (CVE-2024-38355 is handled by
 * never leaving `error` without a listener).
 */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);

/** An encoded packet: the text frame, then each binary attachment as its own frame. */
export type EncodedPacket = [string, ...BinaryLike[]];

/**
 * Encodes a packet. EVENT and ACK packets holding binary become BINARY_EVENT / BINARY_ACK
 * with placeholders; `replacer` is handed to `JSON.stringify`. A BINARY_EVENT / BINARY_ACK
 * (e.g. one the decoder produced) is treated as its EVENT / ACK counterpart: the binary type
 * follows from the data.
 */
export function encodePacket(
  packet: SocketPacket,
  replacer?: (this: unknown, key: string, value: unknown) => unknown,
): EncodedPacket {
  let { type, data } = packet;
  let attachments: BinaryLike[] = [];
  // BINARY_EVENT / BINARY_ACK (5, 6) are EVENT / ACK (2, 3) plus 3.
  if (type > 4) type -= 3;
  if ((type === PacketType.EVENT || type === PacketType.ACK) && hasBinary(data)) {
    type += 3;
    ({ data, attachments } = deconstructPayload(data));
  }
  let text = type > 4 ? type + (attachments.length + "-") : "" + type;
  if (packet.nsp && packet.nsp !== "/") text += packet.nsp + ",";
  if (packet.id !== undefined) text += packet.id;
  if (data !== undefined) text += JSON.stringify(data, replacer);
  return [text, ...attachments];
}
