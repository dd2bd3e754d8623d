import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.ReadIndexDisabledError');

/** `readIndex()` was called on a peer created without `readIndex: true`. Enable the option on every peer. */
export class ReadIndexDisabledError extends RaftkitError {
  readonly [marker] = true;

  constructor() {
    super({
      code: 'READ_INDEX_DISABLED',
      message: 'readIndex() needs the readIndex option; create the peers with { readIndex: true }',
    });
  }

  static override isInstance(error: unknown): error is ReadIndexDisabledError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
