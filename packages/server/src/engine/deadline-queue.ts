/**
 * One timer for many sockets. All entries of a queue share the same delay, so the order in
 * which they are added is the order in which they expire: a doubly linked FIFO gives O(1)
 * add/remove and exact deadlines with a single platform timer per queue, instead of one
 * timer per socket (heartbeats, pong waits and connect timeouts of 10k idle connections).
 * Entries are the sockets themselves (no extra object per socket).
 */
import type { Clock } from "./contracts.js";

/** What a queue links: any object with these fields (a session, a client). */
export interface DeadlineItem {
  dlPrev: DeadlineItem | undefined;
  dlNext: DeadlineItem | undefined;
  dlDeadline: number;
  dlQueue: DeadlineQueue | undefined;
  /** Called when the item's deadline passes. */
  onDeadline(): void;
}

export class DeadlineQueue {
  #head: DeadlineItem | undefined;
  #tail: DeadlineItem | undefined;
  #timer: unknown;
  readonly #fire = (): void => this.#expire();

  constructor(
    readonly delay: number,
    private readonly clock: Clock,
  ) {}

  /** (Re)starts the item's countdown; it leaves any queue it was in. */
  add(item: DeadlineItem): void {
    item.dlQueue?.remove(item);
    item.dlDeadline = this.clock.now() + this.delay;
    item.dlQueue = this;
    item.dlPrev = this.#tail;
    item.dlNext = undefined;
    if (this.#tail) this.#tail.dlNext = item;
    else this.#head = item;
    this.#tail = item;
    if (this.#timer === undefined) this.#arm();
  }

  remove(item: DeadlineItem): void {
    if (item.dlQueue !== this) return;
    if (item.dlPrev) item.dlPrev.dlNext = item.dlNext;
    else this.#head = item.dlNext;
    if (item.dlNext) item.dlNext.dlPrev = item.dlPrev;
    else this.#tail = item.dlPrev;
    item.dlPrev = item.dlNext = item.dlQueue = undefined;
    if (!this.#head) this.#disarm();
  }

  /** Stops the timer and forgets every item. */
  clear(): void {
    while (this.#head) this.remove(this.#head);
  }

  #arm(): void {
    const head = this.#head;
    if (!head) return;
    this.#timer = this.clock.setTimeout(this.#fire, Math.max(0, head.dlDeadline - this.clock.now()));
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
    // Only items queued before this run: a callback may re-add its item (with delay 0
    // that would otherwise loop forever).
    const last = this.#tail;
    for (let e = this.#head; e && e.dlDeadline <= now; e = this.#head) {
      this.remove(e);
      e.onDeadline();
      if (e === last) break;
    }
    if (this.#head && this.#timer === undefined) this.#arm();
  }

  /** Deadline of the first item (for tests and debugging). */
  get nextDeadline(): number | undefined {
    return this.#head?.dlDeadline;
  }
}

/** The real clock. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as Parameters<typeof clearTimeout>[0]),
});
