import type { Clock, Timer } from './clock.js';
import { assertRealTimeAllowed } from './simulation-guard.js';
import { assertNonNegative } from './validate.js';

/**
 * Wall-clock time for production: `performance.now()` and the global timers.
 * Refuses to be created or used while a simulation runs on this thread
 * (`RealTimeInSimulationError`), so a component that forgot to take the
 * simulation's clock fails loudly instead of making the run nondeterministic.
 */
export class RealClock implements Clock {
  private readonly origin: number;

  constructor() {
    assertRealTimeAllowed('new RealClock()');
    this.origin = performance.now();
  }

  now(): number {
    assertRealTimeAllowed('RealClock.now');
    return performance.now() - this.origin;
  }

  /**
   * Invariant (the `Clock` contract): `fn` runs only once `now()` has reached
   * the deadline. Node's timers may fire up to a millisecond early by
   * `performance.now()`; an early wake-up re-arms for the remainder.
   */
  setTimer(delayMs: number, fn: () => void): Timer {
    assertNonNegative('delayMs', delayMs);
    assertRealTimeAllowed('RealClock.setTimer');
    if (delayMs === 0) {
      // "As soon as possible, in its own event": setImmediate, after pending I/O. setTimeout(0)
      // would wait for the next timers phase, at least 1 ms, on every Raft broadcast and apply.
      const immediate = setImmediate(fn); // determinism-ok: the real clock itself
      return { cancel: () => clearImmediate(immediate) };
    }
    const deadline = performance.now() - this.origin + delayMs;
    let handle: ReturnType<typeof setTimeout>;
    const arm = (ms: number) => {
      handle = setTimeout(() => {
        const remaining = deadline - (performance.now() - this.origin);
        if (remaining > 0) arm(Math.ceil(remaining));
        else fn();
      }, ms);
    };
    arm(delayMs);
    return { cancel: () => clearTimeout(handle) };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    assertNonNegative('delayMs', delayMs);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        timer.cancel();
        reject(signal?.reason);
      };
      const timer = this.setTimer(delayMs, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
