/**
 * The acknowledgement cache behind retry deduplication. An omnio client with `retries` sends a
 * random ack scope in its CONNECT payload (`ACK_DEDUP_AUTH_KEY`) and resends a packet with the
 * same ack id (after an ack timeout or a reconnection). The server remembers, per (namespace,
 * scope, ack id), whether the handler already ran and what it answered:
 * - first sight: the handler runs; its ack is stored and sent;
 * - a resend after the answer: the stored answer is sent again, the handler does not run;
 * - a resend while the handler still runs: the answer goes to the resending socket too, when it comes.
 * Clients without a scope (socket.io-client, or omnio without `retries`) are never cached.
 * Memory is bounded: at most `maxEntries` entries and `maxBytes` (estimated size of the stored
 * answers and keys), the oldest leaving first, and a handler that has not acked within
 * `pendingTtl` is presumed never to ack (a resend after that runs the handler again and the
 * sockets waiting on it are let go). Whatever left the cache means at-least-once again, as with
 * socket.io. No timers: expiry is checked when a key is seen again.
 */

/** The `ackDedup` server option. */
export interface AckDedupOptions {
  /**
   * Most remembered acks, for the whole server (each holds the ack's arguments).
   * @default 10000
   */
  maxEntries?: number;
  /**
   * Most bytes held, for the whole server: the estimated size of the stored answers (UTF-8-ish
   * length of strings, byte length of binary, 8 per number, small per-entry overhead). An
   * answer larger than this alone is sent but not stored.
   * @default 1048576 (1 MiB)
   */
  maxBytes?: number;
  /**
   * Milliseconds a handler may take to ack before its entry is presumed abandoned: a resend
   * after that runs the handler again (and resends waiting on the old run are released).
   * The default is above any reasonable client `ackTimeout × retries` window.
   * @default 60000
   */
  pendingTtl?: number;
  /**
   * Clock in ms (tests inject a fake one).
   * @default Date.now
   */
  now?: () => number;
}

/** The defaults, frozen. */
export const ACK_DEDUP_DEFAULTS = Object.freeze({ maxEntries: 10_000, maxBytes: 1024 * 1024, pendingTtl: 60_000 });

/** Resends waiting on one running handler that are kept (older ones are let go). */
export const MAX_WAITERS = 16;
/** Bytes counted for each entry besides its key and answer (Map slot, object). */
const ENTRY_OVERHEAD = 64;

/** Longest ack scope accepted from a client (longer ones are ignored: no dedup). */
export const MAX_ACK_SCOPE_LENGTH = 64;

type Reply = (args: unknown[]) => void;

interface Entry {
  /** The handler's answer, once it acked. */
  answer: unknown[] | undefined;
  /** Sockets that resent the packet while the handler ran. */
  waiters: Reply[] | undefined;
  /** When the handler started (for `pendingTtl`). */
  since: number;
  /** Bytes counted for this entry. */
  bytes: number;
}

export class AckCache {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly pendingTtl: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(options: AckDedupOptions = {}) {
    const max = options.maxEntries ?? ACK_DEDUP_DEFAULTS.maxEntries;
    if (!(max >= 0)) throw new TypeError("The ackDedup.maxEntries option must be a number ≥ 0.");
    const maxBytes = options.maxBytes ?? ACK_DEDUP_DEFAULTS.maxBytes;
    if (!(maxBytes >= 0)) throw new TypeError("The ackDedup.maxBytes option must be a number of bytes ≥ 0.");
    const ttl = options.pendingTtl ?? ACK_DEDUP_DEFAULTS.pendingTtl;
    if (!(ttl > 0)) throw new TypeError("The ackDedup.pendingTtl option must be a number of milliseconds > 0.");
    this.maxEntries = max;
    this.maxBytes = maxBytes;
    this.pendingTtl = ttl;
    this.#now = options.now ?? Date.now;
  }

  /** Entries held now (never more than `maxEntries`). */
  get size(): number {
    return this.#entries.size;
  }

  /** Estimated bytes held now (never more than `maxBytes`). */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Called for an incoming packet with an ack id. Returns true when the handler must run (first
   * sight; then call `settle` with its answer). Returns false for a resend: `reply` gets the
   * stored answer now, or when the running handler answers.
   */
  begin(key: string, reply: Reply): boolean {
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      if (entry.answer !== undefined) {
        reply(entry.answer);
        return false;
      }
      if (now - entry.since < this.pendingTtl) {
        const waiters = (entry.waiters ??= []);
        waiters.push(reply);
        if (waiters.length > MAX_WAITERS) waiters.shift();
        return false;
      }
      // The handler never acked within pendingTtl: run it again. A late answer of the old run
      // may still settle the new entry; both runs answer the same packet.
      this.#delete(key, entry);
    }
    if (this.maxEntries === 0) return true;
    const bytes = ENTRY_OVERHEAD + key.length;
    if (bytes > this.maxBytes) return true;
    this.#entries.set(key, { answer: undefined, waiters: undefined, since: now, bytes });
    this.#bytes += bytes;
    this.#trim();
    return true;
  }

  /** Stores the handler's answer and sends it to the sockets that resent the packet meanwhile. */
  settle(key: string, answer: unknown[]): void {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.answer !== undefined) return;
    const waiters = entry.waiters;
    entry.waiters = undefined;
    const size = estimateBytes(answer, this.maxBytes);
    if (entry.bytes + size > this.maxBytes) {
      // Too large to keep: answer the waiters, then forget it (a later resend runs again).
      this.#delete(key, entry);
    } else {
      entry.answer = answer;
      entry.bytes += size;
      this.#bytes += size;
      this.#trim();
    }
    if (waiters !== undefined) for (const r of waiters) r(answer);
  }

  /** Forgets a key whose handler will never answer (refused by a socket middleware). */
  abandon(key: string): void {
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.answer === undefined) this.#delete(key, entry);
  }

  #delete(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  /** Evicts the oldest entries (Map iteration follows insertion) until both bounds hold. */
  #trim(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxBytes) return;
      this.#delete(key, entry);
    }
  }
}

/**
 * A cheap estimate of an answer's memory (not its exact encoding): strings count their length
 * (×2 beyond ASCII would be closer, but answers are mostly ASCII), binary its byte length,
 * other primitives 8, containers their keys plus 8 each. Stops counting at `limit`, and at
 * depth 32 (a deeper answer counts as `limit`, so it is never stored).
 */
export function estimateBytes(value: unknown, limit: number): number {
  let total = 0;
  const walk = (v: unknown, depth: number): void => {
    if (total > limit) return;
    if (depth > 32) {
      total = limit + 1;
      return;
    }
    if (typeof v === "string") total += v.length + 2;
    else if (typeof v !== "object" || v === null) total += 8;
    else if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) total += v.byteLength + 16;
    else if (Array.isArray(v)) {
      total += 8;
      for (const item of v) walk(item, depth + 1);
    } else {
      total += 8;
      for (const key of Object.keys(v)) {
        total += key.length + 8;
        walk((v as Record<string, unknown>)[key], depth + 1);
      }
    }
  };
  walk(value, 0);
  return total;
}

/** The ack scope of a CONNECT payload, when it is a usable one. */
export function readAckScope(auth: unknown, key: string): string | undefined {
  if (typeof auth !== "object" || auth === null) return undefined;
  const scope = (auth as Record<string, unknown>)[key];
  return typeof scope === "string" && scope.length > 0 && scope.length <= MAX_ACK_SCOPE_LENGTH ? scope : undefined;
}
