export { ProtocolError, type ProtocolErrorCode } from "./errors.js";
export { encodeBase64, decodeBase64 } from "./base64.js";
export { encodeUtf8, decodeUtf8, utf8Length } from "./utf8.js";
export {
  ENGINE_PACKET_TYPES,
  encodeEnginePacket,
  encodeEnginePacketText,
  decodeEnginePacket,
  type EnginePacket,
  type EnginePacketType,
  type Base64Decoder,
  type Bytes,
} from "./engine-packet.js";
export { RECORD_SEPARATOR, encodePayload, decodePayload } from "./engine-payload.js";
export {
  encodeV3Packet,
  encodeV3PacketText,
  decodeV3Packet,
  encodeV3Payload,
  decodeV3Payload,
  encodeV3BinaryPayload,
  decodeV3BinaryPayload,
} from "./engine-v3.js";
export { isBinary, hasBinary, deconstructPayload, reconstructPayload, type BinaryLike } from "./binary.js";
export { PacketType, RESERVED_EVENTS, encodePacket, type SocketPacket, type EncodedPacket } from "./socket-packet.js";
export {
  SocketDecoder,
  decodePacketText,
  validateDecodedPacket,
  splitV4Namespace,
  type SocketDecoderOptions,
} from "./socket-decoder.js";
export { Emitter, type EventsMap, type DefaultEventsMap, type EventNames, type EventParams } from "./emitter.js";
export { ACK_DEDUP_AUTH_KEY } from "./ack-dedup.js";
export type { Parser, ParserEncoder, ParserDecoder } from "./parser.js";
