/**
 * One subscriber connection shared by the namespaces of a `createAdapter()` factory: channel and
 * pattern handlers, reference-counted so a room channel is subscribed on its first local member
 * and unsubscribed when the last one leaves (interest-based routing). ioredis resubscribes
 * everything after a reconnection (`autoResubscribe`, on by default).
 */
import type { Redis } from "ioredis";

export type MessageHandler = (channel: string, message: Buffer) => void;

/** An adapter told about its clients' connection state (one listener pair per client in all). */
export interface ConnectionWatcher {
  onError(err: unknown): void;
  onReady(): void;
}

interface Entry {
  handler: MessageHandler;
  count: number;
}

/** What a node's subscriber connection received: every pub/sub message, and its payload bytes. */
export interface InboundStats {
  messages: number;
  bytes: number;
}

export class SubscriptionHub {
  /** Counted on arrival, before any filtering (what the routing saves shows here). */
  readonly inbound: InboundStats = { messages: 0, bytes: 0 };
  readonly #channels = new Map<string, Entry>();
  readonly #patterns = new Map<string, Entry>();
  readonly #onMessage = (channel: Buffer | string, message: Buffer): void => {
    this.inbound.messages++;
    this.inbound.bytes += message.length;
    const name = String(channel);
    this.#channels.get(name)?.handler(name, message);
  };
  readonly #onPmessage = (pattern: Buffer | string, channel: Buffer | string, message: Buffer): void => {
    this.inbound.messages++;
    this.inbound.bytes += message.length;
    this.#patterns.get(String(pattern))?.handler(String(channel), message);
  };

  readonly #watchers = new Set<ConnectionWatcher>();
  readonly #onClientError = (err: unknown): void => this.#watchers.forEach((w) => w.onError(err));
  readonly #onClientReady = (): void => this.#watchers.forEach((w) => w.onReady());

  constructor(
    readonly sub: Redis,
    private readonly pub: Redis,
    private readonly onError: (what: string, err: unknown) => void,
  ) {}

  /**
   * Registers an adapter for the clients' `error` / `ready` events. The hub listens once per
   * client, whatever the number of namespaces (no max-listeners warning with many of them).
   */
  watch(watcher: ConnectionWatcher): void {
    if (this.#watchers.size === 0) {
      for (const client of [this.pub, this.sub]) {
        client.on("error", this.#onClientError);
        client.on("ready", this.#onClientReady);
      }
    }
    this.#watchers.add(watcher);
  }

  unwatch(watcher: ConnectionWatcher): void {
    if (!this.#watchers.delete(watcher) || this.#watchers.size > 0) return;
    for (const client of [this.pub, this.sub]) {
      client.off("error", this.#onClientError);
      client.off("ready", this.#onClientReady);
    }
  }

  #attached = false;
  #attach(): void {
    if (this.#attached) return;
    this.#attached = true;
    this.sub.on("messageBuffer", this.#onMessage);
    this.sub.on("pmessageBuffer", this.#onPmessage);
  }

  /** Number of channels currently subscribed through this hub. */
  get channelCount(): number {
    return this.#channels.size;
  }

  subscribe(channel: string, handler: MessageHandler): void {
    const entry = this.#channels.get(channel);
    if (entry) {
      entry.count++;
      return;
    }
    this.#attach();
    this.#channels.set(channel, { handler, count: 1 });
    this.sub.subscribe(channel).catch((err: unknown) => this.onError(`SUBSCRIBE ${channel}`, err));
  }

  unsubscribe(channel: string): void {
    const entry = this.#channels.get(channel);
    if (!entry || --entry.count > 0) return;
    this.#channels.delete(channel);
    this.sub.unsubscribe(channel).catch((err: unknown) => this.onError(`UNSUBSCRIBE ${channel}`, err));
  }

  psubscribe(pattern: string, handler: MessageHandler): void {
    const entry = this.#patterns.get(pattern);
    if (entry) {
      entry.count++;
      return;
    }
    this.#attach();
    this.#patterns.set(pattern, { handler, count: 1 });
    this.sub.psubscribe(pattern).catch((err: unknown) => this.onError(`PSUBSCRIBE ${pattern}`, err));
  }

  punsubscribe(pattern: string): void {
    const entry = this.#patterns.get(pattern);
    if (!entry || --entry.count > 0) return;
    this.#patterns.delete(pattern);
    this.sub.punsubscribe(pattern).catch((err: unknown) => this.onError(`PUNSUBSCRIBE ${pattern}`, err));
  }

  /** Detaches from the connection once nothing is subscribed any more. */
  releaseIfIdle(): void {
    if (!this.#attached || this.#channels.size > 0 || this.#patterns.size > 0) return;
    this.#attached = false;
    this.sub.off("messageBuffer", this.#onMessage);
    this.sub.off("pmessageBuffer", this.#onPmessage);
  }
}
