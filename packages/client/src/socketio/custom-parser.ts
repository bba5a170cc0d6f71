/**
 * Custom Socket.IO codecs: the `parser` option (protocol doc §1.10), socket.io-parser's
 * interface, e.g. `socket.io-msgpack-parser`. A custom decoder is user code fed untrusted
 * frames, so every packet it emits is checked here before the sockets see it, with the rules
 * of the built-in decoder (`@omnio/protocol`'s `decodePacketText`).
 */
import { RESERVED_EVENTS, type SocketPacket } from "@omnio/protocol";

/**
 * A decoder of a custom parser: `add()` takes each Engine.IO message (a string, or binary in the
 * host's type: see `Platform.toParserBinary`) and emits `"decoded"` with each complete packet.
 */
export interface ParserDecoder {
  /** Adds one Engine.IO message; may throw on malformed input (the connection then closes). */
  add(chunk: any): void; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsers declare `any` here
  /** Drops a partially decoded packet (the connection closed or reopened). */
  destroy(): void;
  on(event: "decoded", listener: (packet: any) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any -- idem
}

/**
 * A custom Socket.IO parser: `new Encoder().encode(packet)` returns the packet's Engine.IO
 * messages (an array of strings and binary), `new Decoder()` is a {@link ParserDecoder}. The
 * peer must use the same parser.
 *
 * @example
 * import msgpackParser from "socket.io-msgpack-parser";
 * const socket = io("http://localhost:3000", { parser: msgpackParser });
 */
export interface Parser {
  // `encode` returns unknown: the published typings of socket.io-msgpack-parser declare a
  // single ArrayBuffer where the code returns an array of frames.
  Encoder: new () => { encode(packet: SocketPacket): unknown };
  Decoder: new () => ParserDecoder;
}

/**
 * The payload shapes each packet type allows, as bits of the shape number in
 * {@link isValidPacket} (the built-in decoder's rule): CONNECT nothing or an object,
 * DISCONNECT nothing, EVENT and ACK (and their BINARY_ types) an array, CONNECT_ERROR a string
 * or an object.
 */
const SHAPES = [0b101, 0b1, 0b10, 0b10, 0b1100, 0b10, 0b10];

/**
 * Whether a custom decoder's output is a packet the sockets may use: type 0–6, `nsp` a
 * string, `id` absent or a safe non-negative integer, the payload shape of its type, and an
 * event name that is a number or a non-reserved string.
 */
export function isValidPacket(packet: unknown): packet is SocketPacket {
  const { type, nsp, id, data } = Object(packet) as SocketPacket;
  const array = Array.isArray(data);
  const name: unknown = array && data[0];
  // 0 nothing, 1 an array, 2 an object, 3 a string, 4 anything else.
  const shape =
    data === undefined ? 0 : array ? 1 : typeof data === "object" && data ? 2 : typeof data === "string" ? 3 : 4;
  return (
    typeof nsp === "string" &&
    (id === undefined || (Number.isSafeInteger(id) && id >= 0)) &&
    typeof type === "number" &&
    ((SHAPES[type]! >> shape) & 1) === 1 &&
    (type % 3 !== 2 || typeof name === "number" || (typeof name === "string" && !RESERVED_EVENTS.has(name)))
  );
}
