import type { Clock, Timer } from '@raftkit/core';
import { ClerkAbortedError } from './errors/clerk-aborted-error.js';

/**
 * Ends a call at its deadline or when its signal fires, whatever is in
 * flight: `stopped` rejects at that moment, and the call races every wait
 * against it. `cancel()` releases the timer and the listener.
 */
export class CallStopper {
  readonly stopped: Promise<never>;
  private timer: Timer | undefined;
  private error: ClerkAbortedError | undefined;
  private readonly onAbort: (() => void) | undefined;

  constructor(
    clock: Clock,
    deadlineMs: number,
    private readonly signal: AbortSignal | undefined,
    operation: string,
    write: boolean,
  ) {
    let rejectStopped!: (error: ClerkAbortedError) => void;
    this.stopped = new Promise<never>((_, r) => {
      rejectStopped = r;
    });
    const reject = (error: ClerkAbortedError) => {
      if (this.error !== undefined) return;
      this.error = error;
      rejectStopped(error);
    };
    // Settled or not, nobody may be awaiting it at the moment it rejects.
    this.stopped.catch(() => {});
    const abort = () =>
      reject(new ClerkAbortedError({ reason: 'aborted', operation, write, cause: signal?.reason }));
    if (signal?.aborted) {
      abort();
      return;
    }
    if (signal !== undefined) {
      this.onAbort = abort;
      signal.addEventListener('abort', abort, { once: true });
    }
    if (deadlineMs !== Number.POSITIVE_INFINITY) {
      const wait = Math.max(0, deadlineMs - clock.now());
      this.timer = clock.setTimer(wait, () =>
        reject(new ClerkAbortedError({ reason: 'deadline', operation, write })),
      );
    }
  }

  /** Throws at once when the call has been stopped. */
  throwIfStopped(): void {
    if (this.error !== undefined) throw this.error;
  }

  /** Resolves with `p`, or rejects when the call is stopped first. */
  race<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.stopped]);
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.onAbort !== undefined) this.signal?.removeEventListener('abort', this.onAbort);
  }
}
