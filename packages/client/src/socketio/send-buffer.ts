/**
 * The bounded send buffer: packets emitted while the socket cannot send (disconnected, or the
 * server's ping is overdue) wait here and are written in order at the next CONNECT.
 * socket.io-client's buffer is unbounded and never expires (pain points §13: spikes, stale
 * sends, sio#4318); this one has a packet count limit, a byte limit (encoded size) and an
 * optional age limit, all on by default except the age limit. The `retries` queue is the same
 * kind of list under the same limits (the packet in flight at its head is never evicted).
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
/* eslint-disable @typescript-eslint/no-explicit-any -- ack callbacks take arbitrary arguments */
import { withDefaults } from "../engine/defaults.js";
import { encodePacket, utf8Length, type SocketPacket } from "@omnio/protocol";
import { ClientError, checkNumber, type ClientErrorCode } from "../errors.js";
import type { TimerHandle } from "../platform/contract.js";

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
export function resolveSendBufferOptions(options?: SendBufferOptions): Required<SendBufferOptions> {
  const resolved = withDefaults(SEND_BUFFER_DEFAULTS, options);
  for (const key of ["maxPackets", "maxBytes", "maxAge"] as const) checkNumber("sendBuffer." + key, resolved[key]);
  if (!["drop-oldest", "drop-newest", "error"].includes(resolved.policy)) {
    throw new TypeError('The sendBuffer.policy option must be "drop-oldest", "drop-newest" or "error".');
  }
  return resolved;
}

/** An outgoing packet, with the compression wish of its emit. */
export type OutPacket = SocketPacket & { compress?: boolean };

/**
 * One emit waiting for something: a place in the buffer, an acknowledgement, or both. The same
 * record is the socket's ack table entry (by ack id), its send buffer / retries queue entry and
 * the holder of its timer, so leaving one of them never leaves a stale copy in another.
 */
export interface Pending {
  packet: OutPacket;
  /** The ack callback, when the emit has one (with `retries`, always). */
  fn?: ((...args: any[]) => void) | undefined;
  /** Error-first callback (a timeout applies, or `retries`): gets `null` first on success. */
  withError?: boolean;
  /** The ack timeout, or with `retries` the timeout of the attempt in flight. */
  timer?: TimerHandle;
  /** With `retries`: the per-attempt ack timeout in ms (`undefined`: none). */
  attemptTimeout?: number | undefined;
  /** Encoded size in bytes, set when the packet enters the buffer. */
  bytes?: number;
  /** When the packet entered the buffer (the platform's clock). */
  time?: number;
}

/** Entries that left a buffer unsent, each with the code of the error its ack gets. */
export type Dropped = [Pending, ClientErrorCode][];

/** Encoded size of a packet in bytes (what the limits count). */
export function packetBytes(packet: SocketPacket): number {
  const [text, ...attachments] = encodePacket(packet);
  let bytes = utf8Length(text);
  // A Blob (or File) counts its `size`; it is read only when the packet is written.
  for (const a of attachments) {
    const { byteLength, size } = a as { byteLength?: number; size?: number };
    bytes += byteLength ?? size ?? 0;
  }
  return bytes;
}

/** Moves the entries older than `maxAge` (all but the first with `keepFirst`) from `list` to `dropped`. */
export function expire(list: Pending[], maxAge: number, now: number, keepFirst: boolean, dropped: Dropped): void {
  let kept = 0;
  list.forEach((entry, i) => {
    if (now - entry.time! >= maxAge && !(keepFirst && i === 0)) dropped.push([entry, "SEND_BUFFER_EXPIRED"]);
    else list[kept++] = entry;
  });
  list.length = kept;
}

/**
 * Adds `entry` to `list` and moves what was dropped to `dropped` (expired entries, then overflow
 * victims, possibly the new entry itself). Under the `"error"` policy an overflow throws instead
 * and the list keeps its packets (expired ones excepted). With `keepFirst`, the first entry is
 * never evicted (it is in flight).
 */
export function pushLimited(
  list: Pending[],
  entry: Pending,
  limits: Required<SendBufferOptions>,
  now: number,
  keepFirst: boolean,
  dropped: Dropped,
): void {
  const { maxPackets, maxBytes, policy } = limits;
  expire(list, limits.maxAge, now, keepFirst, dropped);
  const bytes = (entry.bytes = packetBytes(entry.packet));
  entry.time = now;
  let total = bytes;
  for (const e of list) total += e.bytes!;
  const fits = (): boolean => list.length < maxPackets && total <= maxBytes;
  if (!fits()) {
    if (policy === "error") throw new ClientError("SEND_BUFFER_OVERFLOW");
    // Eviction cannot help a packet that alone exceeds maxBytes.
    if (policy === "drop-oldest" && bytes <= maxBytes) {
      while (!fits() && list.length > +keepFirst) {
        const [victim] = list.splice(+keepFirst, 1) as [Pending];
        total -= victim.bytes!;
        dropped.push([victim, "SEND_BUFFER_OVERFLOW"]);
      }
    }
    if (!fits()) return void dropped.push([entry, "SEND_BUFFER_OVERFLOW"]);
  }
  list.push(entry);
}
