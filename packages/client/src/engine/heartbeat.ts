/**
 * The heartbeat watchdog's constants (Engine.IO v4 spec "Heartbeat"; the watchdog itself is part
 * of `EngineSocket`): the server pings every `pingInterval`; the client treats the link as dead
 * when no ping arrived within `pingInterval + pingTimeout`.
 *
 * Deadlines are wall-clock (`platform.now()`), never "a timer fired": one timer per engine
 * re-arms itself for the remaining time, so a ping only moves the deadline (no timer churn).
 * A timer that fires long after it was due means the host was asleep or throttled (background
 * tab, frozen mini program); pings may be queued behind it, so the watchdog gives queued I/O
 * one short grace period before declaring a timeout. A frozen link on an awake host is
 * detected at the deadline itself. A wake-up (visibility regained) runs the same check at once.
 */

/** A timer that fires more than this late (ms) means the host was suspended or throttled. */
export const LATE_TIMER_TOLERANCE_MS = 1000;
/** Time given to queued I/O after a wake-up before a passed deadline counts (ms). */
export const WAKE_GRACE_MS = 1000;
