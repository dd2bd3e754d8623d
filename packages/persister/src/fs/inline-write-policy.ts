/**
 * When a durable write (an O_DSYNC pwritev) runs inline on the event loop
 * instead of in libuv's thread pool.
 *
 * Inline, a write costs no thread hand-off and no wake-up back to the loop
 * (two context switches a group commit would otherwise wait for), but the
 * loop does nothing else until the disk answers. So writes run inline only
 * while the disk answers fast: the policy keeps a moving average of write
 * latency and moves writes to the thread pool once it exceeds
 * `leaveInlineMs` (or a single inline write exceeds `stallMs`), and back once
 * it falls under `enterInlineMs`. All times in milliseconds.
 */
export class InlineWritePolicy {
  /** Exponentially weighted mean write latency, ms (thread-pool writes include the hand-off). */
  private meanMs: number;
  private inlineNow: boolean;

  constructor(
    readonly enterInlineMs = 0.5,
    readonly leaveInlineMs = 1,
    readonly stallMs = 10,
    /** Weight of each new sample in the mean (0 < weight ≤ 1). */
    readonly weight = 0.1,
    startInline = true,
  ) {
    this.inlineNow = startInline;
    this.meanMs = startInline ? 0 : enterInlineMs;
  }

  /** Whether the next durable write should run inline. */
  get inline(): boolean {
    return this.inlineNow;
  }

  /** The mean latency the decisions are based on, ms (for tests and metrics). */
  get mean(): number {
    return this.meanMs;
  }

  /** Records one durable write that took `ms`, and decides where the next one runs. */
  record(ms: number): void {
    this.meanMs += this.weight * (ms - this.meanMs);
    if (this.inlineNow) {
      if (ms > this.stallMs || this.meanMs > this.leaveInlineMs) this.inlineNow = false;
    } else if (this.meanMs < this.enterInlineMs) {
      this.inlineNow = true;
    }
  }
}
