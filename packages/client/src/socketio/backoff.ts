/**
 * Exponential backoff with jitter for reconnection (socket.io-client's `backo2` semantics,
 * protocol doc §1.8): attempt n waits `min * 2^n`, moved by up to `± jitter * that`, capped at
 * `max`. Jitter spreads a fleet of clients reconnecting after the same server restart.
 */

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

/**
 * @example
 * const backoff = new Backoff({ min: 1000, max: 5000, jitter: 0.5, random: Math.random });
 * backoff.duration(); // ~1000 ± 500, then ~2000 ± 1000, …, never above 5000
 */
export class Backoff {
  readonly #opts: BackoffOptions;
  #attempts = 0;

  constructor(options: BackoffOptions) {
    if (!(options.jitter >= 0 && options.jitter <= 1)) {
      throw new TypeError("The randomizationFactor option must be a number between 0 and 1.");
    }
    if (!(options.min >= 0) || !(options.max >= 0)) {
      throw new TypeError("The reconnection delays must be non-negative numbers of milliseconds.");
    }
    this.#opts = options;
  }

  /** How many delays were handed out since the last `reset()`. */
  get attempts(): number {
    return this.#attempts;
  }

  /** The next delay in ms; increments `attempts`. */
  duration(): number {
    const { min, max, jitter, random } = this.#opts;
    let ms = min * Math.pow(2, this.#attempts++);
    if (jitter > 0) {
      const rand = random();
      const deviation = Math.floor(rand * jitter * ms);
      ms = (Math.floor(rand * 10) & 1) === 0 ? ms - deviation : ms + deviation;
    }
    return Math.max(0, Math.min(ms, max));
  }

  reset(): void {
    this.#attempts = 0;
  }
}
