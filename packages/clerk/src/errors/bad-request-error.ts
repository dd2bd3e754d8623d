import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.KvBadRequestError');

/** The server rejected the request as malformed (e.g. an oversized value). Nothing was changed. */
export class KvBadRequestError extends RaftkitError {
  readonly [marker] = true;

  constructor(options: { message: string }) {
    super({
      code: 'KV_BAD_REQUEST',
      message: `the key/value server rejected the request: ${options.message}`,
    });
  }

  static override isInstance(error: unknown): error is KvBadRequestError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
