/**
 * Socket.IO packet decoder (protocol v5, v4-compatible). Stateful only while a binary
 * packet waits for its attachments. Every field is validated (packet type, attachment count,
 * namespace, ack id, payload shape, placeholder indexes) and every failure is a
 * `ProtocolError`; nothing else escapes.
 */
import { MAX_PAYLOAD_DEPTH, isBinary, reconstructPayload } from "./binary.js";
import { ProtocolError } from "./errors.js";
import { RESERVED_EVENTS, type PacketType, type SocketPacket } from "./socket-packet.js";

/** Options of {@link SocketDecoder}. */
export interface SocketDecoderOptions {
  /**
   * Largest attachment count a binary packet may declare (CVE-2026-33151).
   * @default 10
   */
  maxAttachments?: number;
  /** Reviver handed to `JSON.parse`. */
  reviver?: (this: unknown, key: string, value: unknown) => unknown;
}

/** Longest ack id accepted, in digits (larger ids lose precision as JavaScript numbers). */
const MAX_ACK_ID_DIGITS = 15;

/** Decodes a single text frame into a packet whose attachments (if any) are still pending. */
export function decodePacketText(
  text: string,
  maxAttachments = 10,
  reviver?: (this: unknown, key: string, value: unknown) => unknown,
): SocketPacket {
  const type = text.charCodeAt(0) - 48;
  // NaN (empty text) fails both comparisons.
  if (!(type >= 0 && type <= 6)) throw new ProtocolError("INVALID_PACKET_TYPE", "Unknown Socket.IO packet type.");
  const packet: SocketPacket = { type: type as PacketType, nsp: "/" };
  const length = text.length;
  let i = 1;

  if (type > 4 /* BINARY_EVENT, BINARY_ACK */) {
    const dash = text.indexOf("-");
    const digits = text.slice(1, dash);
    if (dash < 2 || dash > 7 || !/^\d+$/.test(digits)) {
      throw new ProtocolError("INVALID_ATTACHMENTS");
    }
    if ((packet.attachments = +digits) > maxAttachments) {
      throw new ProtocolError("TOO_MANY_ATTACHMENTS");
    }
    i = dash + 1;
  }

  if (text.charCodeAt(i) === 47 /* / */) {
    const comma = text.indexOf(",", i);
    const end = comma < 0 ? length : comma;
    packet.nsp = text.slice(i, end);
    i = end + 1;
  }

  let idEnd = i;
  while (idEnd < length && text.charCodeAt(idEnd) >= 48 && text.charCodeAt(idEnd) <= 57) idEnd++;
  if (idEnd > i) {
    // Ack ids are integers that must stay exact in a JS number.
    if (idEnd - i > MAX_ACK_ID_DIGITS) throw new ProtocolError("INVALID_ACK_ID", "Ack id is too large.");
    packet.id = +text.slice(i, idEnd);
    i = idEnd;
  }

  if (i < length) {
    if (nestedTooDeeply(text, i)) throw new ProtocolError("INVALID_PAYLOAD", "Payload nested too deeply.");
    try {
      packet.data = JSON.parse(text.slice(i), reviver);
    } catch (cause) {
      throw new ProtocolError("INVALID_PAYLOAD", "Invalid payload: not JSON.", { cause });
    }
  }
  validatePayload(packet);
  return packet;
}

/**
 * True when the JSON text from `start` opens more than `MAX_PAYLOAD_DEPTH` arrays/objects at
 * once. Checked on the text, before `JSON.parse`: a payload that deep would parse, but
 * re-encoding it (an echo, an ack) overflows the stack in `JSON.stringify`.
 */
function nestedTooDeeply(text: string, start: number): boolean {
  // Going deeper than the limit takes more opening brackets than a short payload has
  // characters: the common small packet skips the scan.
  if (text.length - start <= MAX_PAYLOAD_DEPTH) return false;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_PAYLOAD_DEPTH) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

/**
 * The payload shapes each packet type allows, as bits of {@link shapeOf}: CONNECT nothing or
 * an object, DISCONNECT nothing, EVENT / BINARY_EVENT and ACK / BINARY_ACK an array (an event
 * also needs a name, checked apart), CONNECT_ERROR a string or an object.
 */
const ALLOWED_SHAPES = [0b101, 0b1, 0b10, 0b10, 0b1100, 0b10, 0b10];

/** 0 nothing, 1 an array, 2 a plain object, 3 a string, 4 anything else. */
function shapeOf(data: unknown): number {
  return data === undefined
    ? 0
    : Array.isArray(data)
      ? 1
      : typeof data === "object" && data !== null
        ? 2
        : typeof data === "string"
          ? 3
          : 4;
}

function validatePayload({ type, data }: Pick<SocketPacket, "type" | "data">): void {
  let ok = ((ALLOWED_SHAPES[type]! >> shapeOf(data)) & 1) === 1;
  if (ok && type % 3 === 2 /* EVENT, BINARY_EVENT */) {
    const name: unknown = (data as unknown[])[0];
    if (RESERVED_EVENTS.has(name as string)) {
      throw new ProtocolError("RESERVED_EVENT", `"${name as string}" is a reserved event name.`);
    }
    ok = typeof name === "string" || typeof name === "number";
  }
  if (!ok) throw new ProtocolError("INVALID_PAYLOAD", "Invalid payload for this packet type.");
}

/**
 * Validates a packet produced by a decoder other than {@link SocketDecoder} (a custom parser
 * such as `socket.io-msgpack-parser`, whose output is user code fed with untrusted bytes) and
 * returns a fresh packet holding only `type`, `nsp`, `data` and `id`. The checks are those of
 * the built-in decoder: type 0–6, `nsp` a string starting with `/`, `id` absent or an integer
 * from 0 to `Number.MAX_SAFE_INTEGER`, the payload shape of the type, no reserved event name,
 * nesting at most `MAX_PAYLOAD_DEPTH` deep. Binary values may appear anywhere in the payload
 * (a custom codec carries them in place, without placeholders). Throws `ProtocolError`.
 *
 * @example
 * decoder.on("decoded", (raw: unknown) => handle(validateDecodedPacket(raw)));
 */
export function validateDecodedPacket(raw: unknown): SocketPacket {
  if (typeof raw !== "object" || raw === null) {
    throw new ProtocolError("INVALID_PACKET", "The decoded packet is not an object.");
  }
  let type: unknown, nsp: unknown, data: unknown, id: unknown;
  try {
    ({ type, nsp, data, id } = raw as Record<string, unknown>);
  } catch (cause) {
    // A getter that throws: whatever the decoder built, it is not a packet.
    throw new ProtocolError("INVALID_PACKET", "The decoded packet could not be read.", { cause });
  }
  if (!(Number.isInteger(type) && (type as number) >= 0 && (type as number) <= 6)) {
    throw new ProtocolError("INVALID_PACKET_TYPE", "Unknown Socket.IO packet type.");
  }
  if (typeof nsp !== "string" || nsp.charCodeAt(0) !== 47 /* / */) {
    throw new ProtocolError("INVALID_NAMESPACE", "Namespace must be a string starting with /.");
  }
  if (id !== undefined && !(Number.isSafeInteger(id) && (id as number) >= 0)) {
    throw new ProtocolError("INVALID_ACK_ID", "Ack id must be a non-negative safe integer.");
  }
  const packet: SocketPacket = { type: type as PacketType, nsp };
  if (data !== undefined) {
    if (tooDeep(data, 0)) throw new ProtocolError("INVALID_PAYLOAD", "Payload nested too deeply.");
    packet.data = data;
  }
  if (id !== undefined) packet.id = id as number;
  validatePayload(packet);
  return packet;
}

/** True when arrays/objects nest more than `MAX_PAYLOAD_DEPTH` deep (binary values are leaves). */
function tooDeep(value: unknown, depth: number): boolean {
  if (typeof value !== "object" || value === null || isBinary(value)) return false;
  if (depth >= MAX_PAYLOAD_DEPTH) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (tooDeep(item, depth + 1)) return true;
    return false;
  }
  for (const key of Object.keys(value)) if (tooDeep((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

/**
 * Reassembles packets from frames. Feed it every Socket.IO frame of one connection in
 * order; `add()` returns a packet once it is complete, `undefined` while attachments are
 * still expected.
 *
 * @example
 * const decoder = new SocketDecoder({ maxAttachments: 10 });
 * const packet = decoder.add('42["hello"]'); // { type: 2, nsp: "/", data: ["hello"] }
 */
export class SocketDecoder {
  readonly #maxAttachments: number;
  readonly #reviver: SocketDecoderOptions["reviver"];
  #pending: SocketPacket | undefined;
  #buffers: unknown[] = [];

  constructor(options: SocketDecoderOptions = {}) {
    this.#maxAttachments = options.maxAttachments ?? 10;
    this.#reviver = options.reviver;
  }

  /** True while a binary packet waits for attachments. */
  get waiting(): boolean {
    return this.#pending !== undefined;
  }

  /** Adds one frame: a string, or one binary attachment (any binary type; kept as given). */
  add(frame: string | object): SocketPacket | undefined {
    let packet = this.#pending;
    if (typeof frame === "string") {
      if (packet) throw new ProtocolError("UNEXPECTED_TEXT", "Got text data while reconstructing a binary packet.");
      packet = decodePacketText(frame, this.#maxAttachments, this.#reviver);
      if (packet.attachments === undefined) return packet;
      this.#pending = packet;
    } else {
      if (!packet) throw new ProtocolError("UNEXPECTED_BINARY", "Got binary data outside a binary packet.");
      this.#buffers.push(frame);
    }
    const buffers = this.#buffers;
    if (buffers.length < packet.attachments!) return undefined;
    this.destroy();
    packet.data = reconstructPayload(packet.data, buffers);
    delete packet.attachments;
    return packet;
  }

  /** Drops a partially received packet (call when the connection closes). */
  destroy(): void {
    this.#pending = undefined;
    this.#buffers = [];
  }
}

/**
 * Splits a protocol v4 (Socket.IO 2.x) namespace such as `/admin?token=abc` into its
 * name and query: v4 clients append their query to the CONNECT namespace.
 */
export function splitV4Namespace(nsp: string): { name: string; query: string } {
  const q = nsp.indexOf("?");
  return q === -1 ? { name: nsp, query: "" } : { name: nsp.slice(0, q), query: nsp.slice(q + 1) };
}
