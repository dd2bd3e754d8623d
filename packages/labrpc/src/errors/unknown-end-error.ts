import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.UnknownEndError');

/** A network control call named an end or server the network does not have. */
export class UnknownEndError extends RaftkitError {
  readonly [marker] = true;
  readonly end: string;

  constructor(options: { end: string; message: string }) {
    super({ code: 'UNKNOWN_END', message: options.message });
    this.end = options.end;
  }

  static override isInstance(error: unknown): error is UnknownEndError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
