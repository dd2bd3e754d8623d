import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.ClerkAbortedError');

/**
 * A clerk call gave up because its deadline passed or its AbortSignal fired.
 * The call settles at that moment, even with a request in flight; a write
 * may or may not take effect (its outcome is unknown). Retrying the same call
 * on the same clerk is not deduplicated (it gets a new request id).
 */
export class ClerkAbortedError extends RaftkitError {
  readonly [marker] = true;
  readonly reason: 'deadline' | 'aborted';

  constructor(options: {
    reason: 'deadline' | 'aborted';
    operation: string;
    write: boolean;
    cause?: unknown;
  }) {
    const outcome = options.write
      ? 'the write may or may not have taken effect (outcome unknown)'
      : 'no result';
    super({
      code: options.reason === 'deadline' ? 'KV_DEADLINE_EXCEEDED' : 'KV_ABORTED',
      message:
        options.reason === 'deadline'
          ? `${options.operation} did not complete before its deadline; ${outcome}`
          : `${options.operation} was aborted; ${outcome}`,
      cause: options.cause,
    });
    this.reason = options.reason;
  }

  static override isInstance(error: unknown): error is ClerkAbortedError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
