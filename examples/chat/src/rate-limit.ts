/** A token bucket per client and kind of action: a burst, then one token per refill period. */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    readonly burst: number,
    readonly refillMs: number,
    readonly now: () => number = Date.now,
  ) {
    this.#tokens = burst;
    this.#updatedAt = now();
  }

  /** Takes one token; `false` when the bucket is empty (the action is refused). */
  take(): boolean {
    const now = this.now();
    const refill = Math.floor((now - this.#updatedAt) / this.refillMs);
    if (refill > 0) {
      this.#tokens = Math.min(this.burst, this.#tokens + refill);
      this.#updatedAt = this.#tokens === this.burst ? now : this.#updatedAt + refill * this.refillMs;
    }
    if (this.#tokens === 0) return false;
    this.#tokens--;
    return true;
  }
}
