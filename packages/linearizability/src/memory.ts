import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/** The default memory budget: this fraction of the machine's memory. */
export const DEFAULT_MEMORY_FRACTION = 0.5;

/** `DEFAULT_MEMORY_FRACTION` of the machine's memory, in bytes. */
export function defaultMemoryBudget(): number {
  return Math.floor(totalmem() * DEFAULT_MEMORY_FRACTION);
}

/** Why the memory guard stopped a search. */
export type MemoryVerdict = { ok: true } | { ok: false; detail: string };

const GB = 1024 ** 3;
export const formatBytes = (bytes: number): string =>
  bytes >= GB ? `${(bytes / GB).toFixed(2)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/**
 * Watches the process while searches run. The caches account their own typed-array bytes
 * exactly; states and other JavaScript objects live on the V8 heap, which this samples. A check
 * stops (verdict `unknown`, reason `memory-limit`) before the process's resident memory passes
 * the budget or the V8 heap nears its own limit, so it is never killed for running out of memory.
 *
 * Invariant: `accounted` is the sum of bytes the live caches hold in typed arrays.
 */
export class MemoryGuard {
  /** Typed-array bytes held by the caches of this check. */
  accounted = 0;
  private readonly heapLimit: number;
  /** Resident bytes when the check began (the history, the parsed input). */
  readonly baseline: number;
  /** Peak resident bytes sampled. */
  peakRss: number;

  constructor(readonly budget: number) {
    this.heapLimit = getHeapStatistics().heap_size_limit;
    this.baseline = process.memoryUsage.rss();
    this.peakRss = this.baseline;
    this.lastSample = performance.now();
  }

  /**
   * Whether `extra` more typed-array bytes fit: checked before each allocation, with room left
   * for the V8 heap (states) that the last sample saw.
   */
  fits(extra: number): boolean {
    return this.baseline + this.accounted + extra <= this.budget;
  }

  private lastSample = 0;
  private lastAccounted = 0;

  /**
   * Samples the process when 50 ms have passed or 64 MB more were accounted since the last
   * sample (reading the resident size costs about a millisecond). Call it every few thousand
   * insertions; `force` samples now.
   */
  sample(force = false): MemoryVerdict {
    const now = performance.now();
    if (!force && now - this.lastSample < 50 && this.accounted - this.lastAccounted < 2 ** 26) {
      return { ok: true };
    }
    this.lastSample = now;
    this.lastAccounted = this.accounted;
    const rss = process.memoryUsage.rss();
    if (rss > this.peakRss) this.peakRss = rss;
    if (rss > this.budget) {
      return {
        ok: false,
        detail: `resident memory ${formatBytes(rss)} reached the memory budget ${formatBytes(this.budget)}`,
      };
    }
    const heap = getHeapStatistics();
    if (heap.used_heap_size > 0.85 * this.heapLimit) {
      return {
        ok: false,
        detail: `the V8 heap (${formatBytes(heap.used_heap_size)}) neared its limit ${formatBytes(this.heapLimit)}; run node with --max-old-space-size=<MB> (NODE_OPTIONS) to raise it`,
      };
    }
    return { ok: true };
  }

  /** Text for a stop because a cache allocation would not fit. */
  overBudget(extra: number): string {
    return `the search cache (${formatBytes(this.accounted)}) plus ${formatBytes(extra)} more would pass the memory budget ${formatBytes(this.budget)} (resident at start ${formatBytes(this.baseline)})`;
  }
}
