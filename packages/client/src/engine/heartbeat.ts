/**
 * The heartbeat watchdog (Engine.IO v4 spec "Heartbeat"): the server pings every
 * `pingInterval`; the client treats the link as dead when no ping arrived within
 * `pingInterval + pingTimeout`.
 *
 * Deadlines are wall-clock (`platform.now()`), never "a timer fired": one timer per engine
 * re-arms itself for the remaining time, so a ping only moves the deadline (no timer churn).
 * A timer that fires long after it was due means the host was asleep or throttled (background
 * tab, frozen mini program); pings may be queued behind it, so the watchdog gives queued I/O
 * one short grace period before declaring a timeout. A frozen link on an awake host is
 * detected at the deadline itself. `check()` runs the same logic when the host wakes up.
 */
import type { Platform, TimerHandle } from "../platform/contract.js";

/** A timer that fires more than this late (ms) means the host was suspended or throttled. */
export const LATE_TIMER_TOLERANCE_MS = 1000;
/** Time given to queued I/O after a wake-up before a passed deadline counts (ms). */
export const WAKE_GRACE_MS = 1000;

/** Watches the ping deadline of one engine connection. */
export class HeartbeatWatchdog {
  readonly #platform: Platform;
  readonly #onExpire: () => void;
  #deadline = Infinity;
  #timer: TimerHandle = undefined;
  #due = 0;
  #graceUsed = false;

  constructor(platform: Platform, onExpire: () => void) {
    this.#platform = platform;
    this.#onExpire = onExpire;
  }

  /** True once the deadline has passed (the link is presumed dead). */
  get expired(): boolean {
    return this.#platform.now() > this.#deadline;
  }

  /** A ping (or the handshake) arrived: the link is alive for `windowMs` more. */
  reset(windowMs: number): void {
    this.#deadline = this.#platform.now() + windowMs;
    this.#graceUsed = false;
    if (this.#timer === undefined) this.#schedule(windowMs);
  }

  /** Re-checks the deadline now, as after a wake-up (visibility regained). */
  check(): void {
    if (this.#timer === undefined) return;
    this.#platform.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#evaluate(true);
  }

  stop(): void {
    if (this.#timer !== undefined) this.#platform.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#deadline = Infinity;
  }

  #schedule(ms: number): void {
    this.#due = this.#platform.now() + ms;
    this.#timer = this.#platform.setTimeout(() => {
      this.#timer = undefined;
      this.#evaluate(false);
    }, ms);
  }

  #evaluate(woke: boolean): void {
    const now = this.#platform.now();
    if (now < this.#deadline) return this.#schedule(this.#deadline - now);
    const late = woke || now - this.#due > LATE_TIMER_TOLERANCE_MS;
    if (late && !this.#graceUsed) {
      this.#graceUsed = true;
      return this.#schedule(WAKE_GRACE_MS);
    }
    this.#deadline = Infinity;
    this.#onExpire();
  }
}
