/**
 * Blob and File in emits (socket.io-client sends them as binary attachments). Reading a Blob is
 * asynchronous, so a packet holding Blobs waits here until the platform has read them
 * (`Platform.isBlob`/`readBlob`: the core never looks for a global `Blob`), and every packet
 * written after it waits behind it: the wire order is the emit order. Only arrays and plain
 * objects are searched, to depth 32 (class instances such as `Date` are left to `toJSON`).
 */
import type { SocketPacket } from "@omnio/protocol";
import type { Platform } from "../platform/contract.js";

/** A packet and its compression wish, as the Manager writes it. */
export interface QueuedPacket {
  packet: SocketPacket;
  compress: boolean | undefined;
  /** The Blobs found in `packet.data`, read before it is written. */
  blobs: unknown[];
}

/** Where the queue hands packets back. */
export interface BlobQueueSink {
  write(packet: SocketPacket, compress: boolean | undefined): void;
  /** A Blob could not be read: the packet is dropped. */
  fail(cause: unknown): void;
}

const MAX_DEPTH = 32;

export class BlobQueue {
  readonly #platform: Platform;
  readonly #sink: BlobQueueSink;
  #queue: QueuedPacket[] = [];

  constructor(platform: Platform, sink: BlobQueueSink) {
    this.#platform = platform;
    this.#sink = sink;
  }

  /** Writes `packet` now, or queues it when it holds Blobs or other packets are waiting. */
  push(packet: SocketPacket, compress: boolean | undefined): void {
    const blobs: unknown[] = [];
    const isBlob = this.#platform.isBlob;
    if (isBlob !== undefined) findBlobs(packet.data, isBlob, blobs, 0);
    if (this.#queue.length === 0 && blobs.length === 0) return this.#sink.write(packet, compress);
    this.#queue.push({ packet, compress, blobs });
    if (this.#queue.length === 1) this.#next();
  }

  /** Forgets every waiting packet (the connection closed: they must not reach the next one). */
  clear(): void {
    this.#queue = [];
  }

  /** Reads the Blobs of the first waiting packet, writes it, then moves to the next one. */
  #next(): void {
    const item = this.#queue[0];
    if (item === undefined) return;
    const buffers = new Map<unknown, ArrayBuffer>();
    let waiting = 1;
    let failed = false;
    let cause: unknown;
    const done = (): void => {
      if (--waiting > 0 || this.#queue[0] !== item) return;
      this.#queue.shift();
      if (failed) this.#sink.fail(cause);
      else this.#sink.write({ ...item.packet, data: replaceBlobs(item.packet.data, buffers, 0) }, item.compress);
      this.#next();
    };
    const read = this.#platform.readBlob;
    for (const blob of item.blobs) {
      waiting++;
      const settle = (buffer: ArrayBuffer | undefined, error?: unknown): void => {
        if (buffer !== undefined) buffers.set(blob, buffer);
        else [failed, cause] = [true, error];
        done();
      };
      if (read === undefined) settle(undefined);
      else read(blob, settle);
    }
    done();
  }
}

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function findBlobs(value: unknown, isBlob: (data: unknown) => boolean, out: unknown[], depth: number): void {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return;
  if (isBlob(value)) out.push(value);
  else if (Array.isArray(value)) for (const item of value) findBlobs(item, isBlob, out, depth + 1);
  else if (isPlain(value))
    for (const key of Object.keys(value)) findBlobs((value as Record<string, unknown>)[key], isBlob, out, depth + 1);
}

/** A copy of `value` where each Blob read is its `ArrayBuffer` (the user's objects stay untouched). */
function replaceBlobs(value: unknown, buffers: Map<unknown, ArrayBuffer>, depth: number): unknown {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
  const buffer = buffers.get(value);
  if (buffer !== undefined) return buffer;
  if (Array.isArray(value)) return value.map((item) => replaceBlobs(item, buffers, depth + 1));
  if (!isPlain(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    // defineProperty: a "__proto__" key stays a plain data key.
    Object.defineProperty(copy, key, {
      value: replaceBlobs((value as Record<string, unknown>)[key], buffers, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
