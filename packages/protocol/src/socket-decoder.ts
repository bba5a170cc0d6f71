/**
 * Socket.IO packet decoder (protocol v5, v4-compatible). Stateful only while a binary
 * packet waits for its attachments. Every field is validated (packet type, attachment count,
 * namespace, ack id, payload shape, placeholder indexes) and every failure is a
 * `ProtocolError`; nothing else escapes.
 */
import { MAX_PAYLOAD_DEPTH, reconstructPayload } from "./binary.js";
import { ProtocolError } from "./errors.js";
import { PacketType, RESERVED_EVENTS, type SocketPacket } from "./socket-packet.js";

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

/** Ack ids are integers that must stay exact in a JS number. */
const MAX_ACK_ID_DIGITS = 15;

/** Decodes a single text frame into a packet whose attachments (if any) are still pending. */
export function decodePacketText(
  text: string,
  maxAttachments = 10,
  reviver?: (this: unknown, key: string, value: unknown) => unknown,
): SocketPacket {
  const typeCode = text.charCodeAt(0) - 48;
  if (!(typeCode >= 0 && typeCode <= 6) || text.length === 0) {
    throw new ProtocolError("INVALID_PACKET_TYPE", "Unknown Socket.IO packet type.");
  }
  const type = typeCode as PacketType;
  const packet: SocketPacket = { type, nsp: "/" };
  let i = 1;

  if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) {
    const dash = text.indexOf("-", i);
    const digits = dash === -1 ? "" : text.slice(i, dash);
    if (digits.length === 0 || digits.length > 6 || !/^\d+$/.test(digits)) {
      throw new ProtocolError("INVALID_ATTACHMENTS", "Illegal attachments.");
    }
    const count = Number(digits);
    if (count > maxAttachments) throw new ProtocolError("TOO_MANY_ATTACHMENTS", "Too many attachments.");
    packet.attachments = count;
    i = dash + 1;
  }

  if (text.charCodeAt(i) === 47 /* / */) {
    const comma = text.indexOf(",", i);
    const end = comma === -1 ? text.length : comma;
    packet.nsp = text.slice(i, end);
    i = comma === -1 ? end : end + 1;
  }

  let idEnd = i;
  while (idEnd < text.length && text.charCodeAt(idEnd) >= 48 && text.charCodeAt(idEnd) <= 57) idEnd++;
  if (idEnd > i) {
    if (idEnd - i > MAX_ACK_ID_DIGITS) throw new ProtocolError("INVALID_ACK_ID", "Ack id is too large.");
    packet.id = Number(text.slice(i, idEnd));
    i = idEnd;
  }

  if (i < text.length) {
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

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function validatePayload(packet: SocketPacket): void {
  const { type, data } = packet;
  let ok: boolean;
  switch (type) {
    case PacketType.CONNECT:
      ok = data === undefined || isPlainObject(data);
      break;
    case PacketType.DISCONNECT:
      ok = data === undefined;
      break;
    case PacketType.CONNECT_ERROR:
      ok = typeof data === "string" || isPlainObject(data);
      break;
    case PacketType.EVENT:
    case PacketType.BINARY_EVENT: {
      if (!Array.isArray(data) || data.length === 0) {
        ok = false;
        break;
      }
      const name: unknown = data[0];
      if (typeof name === "string" && RESERVED_EVENTS.has(name)) {
        throw new ProtocolError("RESERVED_EVENT", `"${name}" is a reserved event name.`);
      }
      ok = typeof name === "string" || typeof name === "number";
      break;
    }
    case PacketType.ACK:
    case PacketType.BINARY_ACK:
      ok = Array.isArray(data);
      break;
  }
  if (!ok) throw new ProtocolError("INVALID_PAYLOAD", "Invalid payload for this packet type.");
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
    if (typeof frame === "string") {
      if (this.#pending) {
        throw new ProtocolError("UNEXPECTED_TEXT", "Got plaintext data when reconstructing a packet.");
      }
      const packet = decodePacketText(frame, this.#maxAttachments, this.#reviver);
      if (packet.attachments === undefined) return packet;
      if (packet.attachments === 0) return this.#finish(packet, []);
      this.#pending = packet;
      this.#buffers = [];
      return undefined;
    }
    const pending = this.#pending;
    if (!pending) throw new ProtocolError("UNEXPECTED_BINARY", "Got binary data when not reconstructing a packet.");
    this.#buffers.push(frame);
    if (this.#buffers.length < pending.attachments!) return undefined;
    const buffers = this.#buffers;
    this.destroy();
    return this.#finish(pending, buffers);
  }

  #finish(packet: SocketPacket, buffers: unknown[]): SocketPacket {
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
