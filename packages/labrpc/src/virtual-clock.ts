import type { Clock, Timer } from '@raftkit/core';
import { EventQueue, type QueuedEvent } from './event-queue.js';
import { assertNonNegative } from '@raftkit/core';

/**
 * Virtual time: `now()` changes only when the simulation loop pops the next
 * event. Timers are events in a (time, insertion order) queue, so runs are
 * reproducible.
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
    const event: QueuedEvent = {
      at: this.current + delayMs,
      seq: this.seq++,
      fn,
      cancelled: false,
      label,
    };
    this.queue.push(event);
    return { cancel: () => this.queue.cancel(event) };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    assertNonNegative('delayMs', delayMs);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        timer.cancel();
        reject(signal?.reason);
      };
      const timer = this.setTimer(
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
