import type { Clock, Timer } from '@raftkit/core';
import { assertNonNegative, InvalidArgumentError } from '@raftkit/core';
import { EventQueue, type QueuedEvent } from './event-queue.js';

/**
 * Virtual time: `now()` changes only when the simulation loop pops the next
 * event. Timers are events in a (time, insertion order) queue, so runs are
 * reproducible.
 *
 * Invariant (the `Clock` contract): a timer set at `t` with `delayMs` runs
 * only once `now() ≥ t + delayMs` (the same floating-point sum), and never
 * before an event scheduled earlier for the same instant.
 */
export class VirtualClock implements Clock {
  private current = 0;
  private seq = 0;
  readonly queue = new EventQueue();

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, fn: () => void, label?: string): Timer {
    assertNonNegative('delayMs', delayMs);
    return this.setTimerAt(this.current + delayMs, fn, label);
  }

  /**
   * Runs `fn` when virtual time reaches `at` (ms; a time in the past means
   * "at the next turn, at the current time"). Used by drifting clock views,
   * which compute their own deadlines.
   */
  setTimerAt(at: number, fn: () => void, label?: string): Timer {
    if (Number.isNaN(at)) {
      throw new InvalidArgumentError({ argument: 'at', message: 'timer time must be a number' });
    }
    const event: QueuedEvent = {
      at: Math.max(at, this.current),
      seq: this.seq++,
      fn,
      cancelled: false,
      label,
    };
    this.queue.push(event);
    return { cancel: () => this.queue.cancel(event) };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, delayMs, signal);
  }

  /**
   * A view of this clock for one node whose oscillator runs at `rate` × the
   * simulation's time (e.g. 1.02 runs 2 % fast): its `now()` starts equal to
   * this clock's and advances `rate` ms per virtual ms; its timers fire when
   * the view's own `now()` reaches their deadline. Rates are limited to
   * [0.5, 2]. Drifting views share this clock's queue, so a run stays a
   * function of its seed.
   */
  withRate(rate: number): Clock {
    if (typeof rate !== 'number' || !(rate >= 0.5 && rate <= 2)) {
      throw new InvalidArgumentError({
        argument: 'rate',
        message: `a clock rate must be a number in [0.5, 2] (1 = no drift), got ${String(rate)}`,
      });
    }
    return rate === 1 ? this : new DriftingClock(this, rate);
  }

  /**
   * Pops the next event and advances time to it. Returns undefined when none
   * is left. Only the simulation loop calls this.
   */
  advance(): QueuedEvent | undefined {
    const event = this.queue.pop();
    if (event !== undefined && event.at > this.current) this.current = event.at;
    return event;
  }

  /** Time of the next event, or undefined. */
  nextEventAt(): number | undefined {
    return this.queue.peek()?.at;
  }
}

/**
 * A node's clock that runs at `rate` × virtual time. Local time is
 * `origin + (base.now() - baseOrigin) × rate`. Invariant: a timer fires only
 * once local `now()` has reached `now() + delayMs` as computed when it was set
 * (the deadline is nudged up past any rounding of the inverse mapping).
 */
class DriftingClock implements Clock {
  private readonly baseOrigin: number;
  private readonly origin: number;

  constructor(
    private readonly base: VirtualClock,
    private readonly rate: number,
  ) {
    this.baseOrigin = base.now();
    this.origin = this.baseOrigin;
  }

  private local(baseTime: number): number {
    return this.origin + (baseTime - this.baseOrigin) * this.rate;
  }

  now(): number {
    return this.local(this.base.now());
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    assertNonNegative('delayMs', delayMs);
    const deadline = this.now() + delayMs;
    let at = this.baseOrigin + (deadline - this.origin) / this.rate;
    // Rounding may map `at` back to just below `deadline`: step up until it does not.
    for (let i = 0; this.local(at) < deadline; i++) {
      at += Math.max(Math.abs(at) * Number.EPSILON, Number.MIN_VALUE) * 2 ** i;
    }
    return this.base.setTimerAt(at, fn, 'drift-timer');
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, delayMs, signal);
  }
}

function sleepOn(clock: Clock, delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  assertNonNegative('delayMs', delayMs);
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = (clock as VirtualClock).setTimer(
      delayMs,
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      'sleep',
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
