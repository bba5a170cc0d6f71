/**
 * Exponential backoff with jitter for reconnection (socket.io-client's `backo2` semantics,
 * protocol doc §1.8): attempt n waits `min * 2^n`, moved by up to `± jitter * that`, capped at
 * `max`. Jitter spreads a fleet of clients reconnecting after the same server restart.
 */
import { checkNumber } from "../errors.js";

/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** First delay in ms. */
  min: number;
  /** Largest delay in ms. */
  max: number;
  /** Randomization factor in [0, 1]; 0 disables jitter. */
  jitter: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  random: () => number;
}

/** Throws a `TypeError` unless the delays are ≥ 0 and the jitter is in [0, 1] (named as the Manager's options). */
export function checkBackoff(min: number, max: number, jitter: number): void {
  checkNumber("randomizationFactor", jitter, 1);
  checkNumber("reconnectionDelay", min);
  checkNumber("reconnectionDelayMax", max);
}

/** The delay in ms before attempt `attempt` (0-based); the Manager uses it without a `Backoff` object. */
export function backoffDelay(attempt: number, min: number, max: number, jitter: number, random: () => number): number {
  let ms = min * Math.pow(2, attempt);
  if (jitter > 0) {
    const rand = random();
    const deviation = Math.floor(rand * jitter * ms);
    ms = (Math.floor(rand * 10) & 1) === 0 ? ms - deviation : ms + deviation;
  }
  return Math.max(0, Math.min(ms, max));
}

/**
 * @example
 * const backoff = new Backoff({ min: 1000, max: 5000, jitter: 0.5, random: Math.random });
 * backoff.duration(); // ~1000 ± 500, then ~2000 ± 1000, …, never above 5000
 */
export class Backoff {
  readonly #opts: BackoffOptions;
  #attempts = 0;

  constructor(options: BackoffOptions) {
    checkBackoff(options.min, options.max, options.jitter);
    this.#opts = options;
  }

  /** How many delays were handed out since the last `reset()`. */
  get attempts(): number {
    return this.#attempts;
  }

  /** The next delay in ms; increments `attempts`. */
  duration(): number {
    const { min, max, jitter, random } = this.#opts;
    return backoffDelay(this.#attempts++, min, max, jitter, random);
  }

  reset(): void {
    this.#attempts = 0;
  }
}
