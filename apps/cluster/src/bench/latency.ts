/** Latency summary of one op kind over the measured window; times in ms. */
export interface LatencyStats {
  ops: number;
  opsPerSec: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  meanMs: number | null;
}

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The nearest-rank percentile (the smallest sample ≥ p % of samples), as kvload.mjs computes it. */
function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return round3(sorted[i]!);
}

/** Grows a Float64Array of samples without boxing each number. */
export class Samples {
  private data = new Float64Array(1024);
  length = 0;

  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }

  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }
}

export function latencyStats(samples: readonly Samples[], seconds: number): LatencyStats {
  const n = samples.reduce((a, s) => a + s.length, 0);
  const all = new Float64Array(n);
  let at = 0;
  for (const s of samples) {
    all.set(s.sorted(), at);
    at += s.length;
  }
  all.sort();
  let sum = 0;
  for (const x of all) sum += x;
  return {
    ops: n,
    opsPerSec: round3(n / seconds),
    p50Ms: percentile(all, 50),
    p90Ms: percentile(all, 90),
    p99Ms: percentile(all, 99),
    maxMs: n > 0 ? round3(all[n - 1]!) : null,
    meanMs: n > 0 ? round3(sum / n) : null,
  };
}
