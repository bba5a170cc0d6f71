/**
 * One timer for many sockets. All entries of a queue share the same delay, so the order in
 * which they are added is the order in which they expire: a doubly linked FIFO gives O(1)
 * add/remove and exact deadlines with a single platform timer per queue, instead of one
 * timer per socket (heartbeats, pong waits and connect timeouts of 10k idle connections).
 */
import type { Clock } from "./contracts.js";

/** An entry; a socket embeds one per queue it can be in. */
export class DeadlineEntry {
  prev: DeadlineEntry | undefined = undefined;
  next: DeadlineEntry | undefined = undefined;
  deadline = 0;
  queue: DeadlineQueue | undefined = undefined;
  constructor(readonly onExpire: () => void) {}
}

export class DeadlineQueue {
  #head: DeadlineEntry | undefined;
  #tail: DeadlineEntry | undefined;
  #timer: unknown;
  #timerAt = 0;
  readonly #fire = (): void => this.#expire();

  constructor(
    readonly delay: number,
    private readonly clock: Clock,
  ) {}

  /** (Re)starts the entry's countdown; it leaves any queue it was in. */
  add(entry: DeadlineEntry): void {
    entry.queue?.remove(entry);
    entry.deadline = this.clock.now() + this.delay;
    entry.queue = this;
    entry.prev = this.#tail;
    entry.next = undefined;
    if (this.#tail) this.#tail.next = entry;
    else this.#head = entry;
    this.#tail = entry;
    if (this.#timer === undefined) this.#arm();
  }

  remove(entry: DeadlineEntry): void {
    if (entry.queue !== this) return;
    if (entry.prev) entry.prev.next = entry.next;
    else this.#head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.#tail = entry.prev;
    entry.prev = entry.next = entry.queue = undefined;
    if (!this.#head) this.#disarm();
  }

  /** Stops the timer and forgets every entry. */
  clear(): void {
    while (this.#head) this.remove(this.#head);
  }

  #arm(): void {
    const head = this.#head;
    if (!head) return;
    this.#timerAt = head.deadline;
    this.#timer = this.clock.setTimeout(this.#fire, Math.max(0, head.deadline - this.clock.now()));
    // Never keep a process alive for heartbeats alone (a closed server must exit).
    (this.#timer as { unref?: () => void } | undefined)?.unref?.();
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #expire(): void {
    this.#timer = undefined;
    const now = this.clock.now();
    // Only entries queued before this run: a callback may re-add its entry (with delay 0
    // that would otherwise loop forever).
    const last = this.#tail;
    for (let e = this.#head; e && e.deadline <= now; e = this.#head) {
      this.remove(e);
      e.onExpire();
      if (e === last) break;
    }
    if (this.#head && this.#timer === undefined) this.#arm();
  }

  /** Deadline of the first entry, for debugging and tests. */
  get nextDeadline(): number | undefined {
    return this.#head ? this.#timerAt : undefined;
  }
}

/** The real clock. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as Parameters<typeof clearTimeout>[0]),
});
