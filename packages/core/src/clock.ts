/** A scheduled callback. `cancel()` is idempotent and safe after the callback ran. */
export interface Timer {
  cancel(): void;
}

/**
 * Time as every raftkit component sees it. All durations are milliseconds.
 * The simulation supplies a virtual clock (time moves only between events);
 * production supplies `RealClock`. Code that a simulation runs must never use
 * `Date.now`, `performance.now` or the global timers: only this interface.
 */
export interface Clock {
  /** Milliseconds since this clock's origin. Monotonic, may be fractional. */
  now(): number;
  /** Calls `fn` once, `delayMs` (≥ 0) milliseconds from now; never before `now()` has reached that deadline. */
  setTimer(delayMs: number, fn: () => void): Timer;
  /** Resolves after `delayMs`; rejects with the signal's reason if aborted first. */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
}
