/**
 * The acknowledgement cache behind retry deduplication. An omnio client with `retries` sends a
 * random ack scope in its CONNECT payload (`ACK_DEDUP_AUTH_KEY`) and resends a packet with the
 * same ack id (after an ack timeout or a reconnection). The server remembers, per (namespace,
 * scope, ack id), whether the handler already ran and what it answered:
 * - first sight: the handler runs; its ack is stored and sent;
 * - a resend after the answer: the stored answer is sent again, the handler does not run;
 * - a resend while the handler still runs: the answer goes to the resending socket too, when it comes.
 * Clients without a scope (socket.io-client, or omnio without `retries`) are never cached.
 * Memory is bounded: at most `maxEntries` entries, the oldest leaving first (a resend arriving
 * after its entry left runs the handler again: at-least-once, as with socket.io).
 */

/** The `ackDedup` server option. */
export interface AckDedupOptions {
  /**
   * Most remembered acks, for the whole server (each holds the ack's arguments).
   * @default 10000
   */
  maxEntries?: number;
}

/** The defaults, frozen. */
export const ACK_DEDUP_DEFAULTS: Readonly<Required<AckDedupOptions>> = Object.freeze({ maxEntries: 10_000 });

/** Longest ack scope accepted from a client (longer ones are ignored: no dedup). */
export const MAX_ACK_SCOPE_LENGTH = 64;

type Reply = (args: unknown[]) => void;

interface Entry {
  /** The handler's answer, once it acked. */
  answer: unknown[] | undefined;
  /** Sockets that resent the packet while the handler ran. */
  waiters: Reply[] | undefined;
}

export class AckCache {
  readonly maxEntries: number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: AckDedupOptions = {}) {
    const max = options.maxEntries ?? ACK_DEDUP_DEFAULTS.maxEntries;
    if (!(max >= 0)) throw new TypeError("The ackDedup.maxEntries option must be a number ≥ 0.");
    this.maxEntries = max;
  }

  /** Entries held now (never more than `maxEntries`). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Called for an incoming packet with an ack id. Returns true when the handler must run (first
   * sight; then call `settle` with its answer). Returns false for a resend: `reply` gets the
   * stored answer now, or when the running handler answers.
   */
  begin(key: string, reply: Reply): boolean {
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      if (entry.answer !== undefined) reply(entry.answer);
      else (entry.waiters ??= []).push(reply);
      return false;
    }
    if (this.maxEntries === 0) return true;
    this.#entries.set(key, { answer: undefined, waiters: undefined });
    // Map iteration follows insertion: the first key is the oldest.
    while (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    return true;
  }

  /** Stores the handler's answer and sends it to the sockets that resent the packet meanwhile. */
  settle(key: string, answer: unknown[]): void {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.answer !== undefined) return;
    entry.answer = answer;
    const waiters = entry.waiters;
    entry.waiters = undefined;
    if (waiters !== undefined) for (const reply of waiters) reply(answer);
  }

  /** Forgets a key whose handler will never answer (refused by a socket middleware). */
  abandon(key: string): void {
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.answer === undefined) this.#entries.delete(key);
  }
}

/** The ack scope of a CONNECT payload, when it is a usable one. */
export function readAckScope(auth: unknown, key: string): string | undefined {
  if (typeof auth !== "object" || auth === null) return undefined;
  const scope = (auth as Record<string, unknown>)[key];
  return typeof scope === "string" && scope.length > 0 && scope.length <= MAX_ACK_SCOPE_LENGTH ? scope : undefined;
}
