/**
 * The `retries` queue (socket.io-client's `retries` option, at-least-once delivery): packets are
 * sent one at a time, in order; the packet in flight is resent after an ack timeout or a lost
 * connection until it is acknowledged or has been sent `retries + 1` times. Unlike
 * socket.io-client, a resend keeps the packet's ack id, so a late ack of an earlier attempt
 * still settles it, and an omnio server recognises the retry (same ack scope and id) and
 * answers it from its ack cache instead of running the handler again.
 */
import type { SocketPacket } from "@omnio/protocol";
import { ClientError } from "../errors.js";
import type { TimerHandle } from "../platform/contract.js";
import type { Dropped, SendBuffer } from "./send-buffer.js";

/** What the queue needs from its socket. */
export interface RetryHost {
  /** True when a packet written now would reach the server (connected, ping not overdue). */
  canSend(): boolean;
  /** Writes a packet (outgoing listeners included). */
  write(packet: SocketPacket): void;
  /** Settles the ack of a packet that left the queue without an answer. */
  fail(dropped: Dropped[]): void;
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export class RetryQueue {
  readonly #host: RetryHost;
  readonly #retries: number;
  readonly #queue: SendBuffer;
  /** Per-attempt ack timeout of each queued packet, by ack id (`undefined`: none). */
  readonly #timeouts = new Map<number, number | undefined>();
  /** Sends of the packet at the head so far. */
  #tries = 0;
  /** The head was sent and its ack is awaited. */
  #pending = false;
  #timer: TimerHandle = undefined;

  constructor(host: RetryHost, retries: number, queue: SendBuffer) {
    this.#host = host;
    this.#retries = retries;
    this.#queue = queue;
  }

  /** Queues a packet (it must carry an ack id) and sends it if nothing is in flight. May throw under the `"error"` policy. */
  add(packet: SocketPacket, timeout: number | undefined): void {
    const dropped = this.#queue.push(packet, this.#host.now(), this.#pending);
    if (!dropped.some((d) => d.packet === packet)) this.#timeouts.set(packet.id!, timeout);
    this.#forget(dropped);
    this.drain();
  }

  /** An ack arrived for `id`: true when it settles the head (then call `drain()` once the ack is delivered). */
  onAck(id: number): boolean {
    if (this.#queue.peek()?.id !== id) return false;
    this.#next();
    return true;
  }

  /** The connection was lost: the packet in flight is resent at the next connect (if tries remain). */
  onDisconnect(): void {
    if (!this.#pending) return;
    this.#clearTimer();
    this.#pending = false;
    if (this.#tries > this.#retries) this.#giveUp(new ClientError("DISCONNECTED"));
  }

  /** Sends the head if the socket can send and nothing is in flight. */
  drain(): void {
    if (this.#pending || !this.#host.canSend()) return;
    this.#forget(this.#queue.expire(this.#host.now(), this.#tries > 0));
    const packet = this.#queue.peek();
    if (packet === undefined) return;
    this.#pending = true;
    this.#tries++;
    const timeout = this.#timeouts.get(packet.id!);
    if (timeout !== undefined) this.#timer = this.#host.setTimeout(() => this.#onTimeout(packet), timeout);
    this.#host.write(packet);
  }

  #onTimeout(packet: SocketPacket): void {
    this.#timer = undefined;
    if (this.#queue.peek() !== packet) return;
    this.#pending = false;
    if (this.#tries > this.#retries) this.#giveUp(new ClientError("ACK_TIMEOUT"));
    else this.drain();
  }

  #giveUp(error: ClientError): void {
    const packet = this.#queue.peek()!;
    this.#next();
    this.#host.fail([{ packet, error }]);
    this.drain();
  }

  /** Removes the head (the caller sends the next one with `drain()`). */
  #next(): void {
    this.#clearTimer();
    const packet = this.#queue.shift();
    if (packet !== undefined) this.#timeouts.delete(packet.id!);
    this.#pending = false;
    this.#tries = 0;
  }

  #forget(dropped: Dropped[]): void {
    if (dropped.length === 0) return;
    for (const d of dropped) this.#timeouts.delete(d.packet.id!);
    this.#host.fail(dropped);
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    this.#host.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
