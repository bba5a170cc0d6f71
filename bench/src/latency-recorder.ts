import type { LatencySummary } from "./messages.js";

/**
 * Keeps at most `capacity` latency observations as a uniform random sample of all of them
 * (reservoir sampling), so that a million deliveries cost a bounded amount of memory.
 */
export class LatencyRecorder {
  readonly #samples: Float64Array;
  #seen = 0;

  constructor(capacity = 200_000) {
    this.#samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    const capacity = this.#samples.length;
    if (this.#seen < capacity) {
      this.#samples[this.#seen] = ms;
    } else {
      const slot = Math.floor(Math.random() * (this.#seen + 1));
      if (slot < capacity) this.#samples[slot] = ms;
    }
    this.#seen++;
  }

  summary(): LatencySummary {
    const kept = this.#samples.slice(0, Math.min(this.#seen, this.#samples.length)).sort();
    return {
      samples: kept.length,
      p50: quantile(kept, 0.5),
      p99: quantile(kept, 0.99),
      max: kept.length === 0 ? Number.NaN : (kept[kept.length - 1] as number),
    };
  }
}

/** Nearest-rank quantile of an ascending array; NaN when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Median of the finite values; NaN when there are none. */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1
    ? (finite[mid] as number)
    : ((finite[mid - 1] as number) + (finite[mid] as number)) / 2;
}
