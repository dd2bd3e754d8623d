import { RaftkitError } from '@raftkit/core';
import { etcdError, type KvErr } from '@raftkit/kv-protocol';

const marker = Symbol.for('raftkit.error.KvRequestError');

/**
 * The server refused the request for a reason of etcd's model (a compacted
 * or future revision, an unknown lease, ignoreValue on a missing key, a value
 * that is not text, …). Nothing was changed; `err` names the reason.
 */
export class KvRequestError extends RaftkitError {
  readonly [marker] = true;
  readonly err: Exclude<KvErr, 'OK'>;

  constructor(options: { err: Exclude<KvErr, 'OK'>; operation: string; message?: string }) {
    super({
      code: `KV_${options.err
        .replace(/^Err/, '')
        .replace(/([a-z])([A-Z])/g, '$1_$2')
        .toUpperCase()}`,
      message: `${options.operation} failed: ${options.message ?? etcdError(options.err).message}`,
    });
    this.err = options.err;
  }

  static override isInstance(error: unknown): error is KvRequestError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
