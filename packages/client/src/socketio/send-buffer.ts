/**
 * The bounded send buffer: packets emitted while the socket cannot send (disconnected, or the
 * server's ping is overdue) wait here and are written in order at the next CONNECT.
 * socket.io-client's buffer is unbounded and never expires (pain points §13: spikes, stale
 * sends, sio#4318); this one has a packet count limit, a byte limit (encoded size) and an
 * optional age limit, all on by default except the age limit.
 *
 * Overflow policy (when a new packet would exceed `maxPackets` or `maxBytes`):
 * - `"drop-oldest"` (default): the oldest packets leave until the new one fits;
 * - `"drop-newest"`: the new packet is dropped;
 * - `"error"`: `emit()` throws `ClientError` SEND_BUFFER_OVERFLOW (`emitWithAck` rejects).
 * A packet larger than `maxBytes` on its own is always dropped. A dropped packet's ack
 * callback (or `emitWithAck` promise) gets `ClientError` SEND_BUFFER_OVERFLOW; an expired one
 * gets SEND_BUFFER_EXPIRED. Plain (not error-first) ack callbacks get the error as their only
 * argument.
 */
import { withDefaults } from "../engine/defaults.js";
import { encodePacket, utf8Length, type SocketPacket } from "@omnio/protocol";
import { ClientError } from "../errors.js";

/** What happens when a new packet would exceed a limit of the send buffer. */
export type SendBufferPolicy = "drop-oldest" | "drop-newest" | "error";

/** Limits of the send buffer (the `sendBuffer` socket option). */
export interface SendBufferOptions {
  /**
   * Most packets kept while the socket cannot send.
   * @default 1000
   */
  maxPackets?: number;
  /**
   * Most bytes kept (the packets' encoded size: UTF-8 text plus binary attachments).
   * @default 1048576 (1 MiB)
   */
  maxBytes?: number;
  /**
   * What happens when a new packet would exceed `maxPackets` or `maxBytes`.
   * @default "drop-oldest"
   */
  policy?: SendBufferPolicy;
  /**
   * Age in ms after which a buffered packet is dropped instead of sent (checked when packets
   * are added and when the buffer is flushed). An emit whose ack timed out always leaves the
   * buffer at once, whatever this value.
   * @default Infinity (no age limit)
   */
  maxAge?: number;
}

/** The defaults, frozen. */
export const SEND_BUFFER_DEFAULTS: Readonly<Required<SendBufferOptions>> = Object.freeze({
  maxPackets: 1000,
  maxBytes: 1_048_576,
  policy: "drop-oldest",
  maxAge: Infinity,
});

/** Applies the defaults and validates; invalid options throw a `TypeError`. */
export function resolveSendBufferOptions(options: SendBufferOptions = {}): Required<SendBufferOptions> {
  const resolved = withDefaults(SEND_BUFFER_DEFAULTS, options);
  for (const key of ["maxPackets", "maxBytes", "maxAge"] as const) {
    if (!(resolved[key] >= 0)) throw new TypeError(`The sendBuffer.${key} option must be a number ≥ 0.`);
  }
  if (!["drop-oldest", "drop-newest", "error"].includes(resolved.policy)) {
    throw new TypeError('The sendBuffer.policy option must be "drop-oldest", "drop-newest" or "error".');
  }
  return resolved;
}

/** Encoded size of a packet in bytes (what the limits count). */
export function packetBytes(packet: SocketPacket): number {
  const [text, ...attachments] = encodePacket(packet);
  let bytes = utf8Length(text);
  for (const a of attachments) bytes += a.byteLength;
  return bytes;
}

interface Entry {
  packet: SocketPacket;
  bytes: number;
  time: number;
}

/** Packets removed from the buffer, with the error their acks get. */
export interface Dropped {
  packet: SocketPacket;
  error: ClientError;
}

/** A bounded FIFO of packets. `now` is the platform's clock. */
export class SendBuffer {
  readonly options: Readonly<Required<SendBufferOptions>>;
  #entries: Entry[] = [];
  #bytes = 0;

  constructor(options: Required<SendBufferOptions>) {
    this.options = options;
  }

  get length(): number {
    return this.#entries.length;
  }
  /** Encoded bytes held. */
  get bytes(): number {
    return this.#bytes;
  }
  /** The oldest packet, if any. */
  peek(): SocketPacket | undefined {
    return this.#entries[0]?.packet;
  }
  /** Removes and returns the oldest packet. */
  shift(): SocketPacket | undefined {
    const entry = this.#entries.shift();
    if (entry !== undefined) this.#bytes -= entry.bytes;
    return entry?.packet;
  }

  /**
   * Adds a packet and returns what was dropped (expired packets, then overflow victims, possibly
   * the new packet itself). Under the `"error"` policy an overflow throws instead and nothing
   * changes. With `keepFirst`, the oldest packet is never evicted (it is in flight).
   */
  push(packet: SocketPacket, now: number, keepFirst = false): Dropped[] {
    const dropped = this.expire(now, keepFirst);
    const bytes = packetBytes(packet);
    const { maxPackets, maxBytes, policy } = this.options;
    const fits = (): boolean => this.#entries.length + 1 <= maxPackets && this.#bytes + bytes <= maxBytes;
    if (!fits()) {
      const overflow = new ClientError("SEND_BUFFER_OVERFLOW");
      if (policy === "error") throw overflow;
      const floor = keepFirst ? 1 : 0;
      if (policy === "drop-newest" || bytes > maxBytes || maxPackets === floor) {
        dropped.push({ packet, error: overflow });
        return dropped;
      }
      while (!fits() && this.#entries.length > floor) {
        const [victim] = this.#entries.splice(floor, 1) as [Entry];
        this.#bytes -= victim.bytes;
        dropped.push({ packet: victim.packet, error: overflow });
      }
      if (!fits()) {
        dropped.push({ packet, error: overflow });
        return dropped;
      }
    }
    this.#entries.push({ packet, bytes, time: now });
    this.#bytes += bytes;
    return dropped;
  }

  /** Removes the packet with ack id `id` (its ack timed out: it must never be sent). */
  remove(id: number): void {
    const i = this.#entries.findIndex((e) => e.packet.id === id);
    if (i === -1) return;
    this.#bytes -= this.#entries[i]!.bytes;
    this.#entries.splice(i, 1);
  }

  /** True when a packet with ack id `id` is waiting here. */
  has(id: number): boolean {
    return this.#entries.some((e) => e.packet.id === id);
  }

  /** Drops packets older than `maxAge` (all but the first with `keepFirst`). */
  expire(now: number, keepFirst = false): Dropped[] {
    const maxAge = this.options.maxAge;
    if (maxAge === Infinity) return [];
    const dropped: Dropped[] = [];
    const kept: Entry[] = [];
    this.#entries.forEach((entry, i) => {
      if (now - entry.time >= maxAge && !(keepFirst && i === 0)) {
        this.#bytes -= entry.bytes;
        dropped.push({ packet: entry.packet, error: new ClientError("SEND_BUFFER_EXPIRED") });
      } else kept.push(entry);
    });
    this.#entries = kept;
    return dropped;
  }

  /** Empties the buffer: the packets still fresh to send, in order, and the expired ones. */
  drain(now: number): { fresh: SocketPacket[]; expired: Dropped[] } {
    const expired = this.expire(now);
    const fresh = this.#entries.map((e) => e.packet);
    this.#entries = [];
    this.#bytes = 0;
    return { fresh, expired };
  }
}
