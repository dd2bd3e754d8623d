import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.EndpointUnreachableError');

/**
 * No endpoint answered: every one refused the connection, reset it or timed out. For a write
 * sent before the failure its outcome is unknown. Check `--endpoints` and that the cluster runs.
 */
export class EndpointUnreachableError extends RaftkitError {
  readonly [marker] = true;
  /** Each endpoint tried, with the reason it failed. */
  readonly attempts: readonly { endpoint: string; reason: string }[];

  constructor(options: { attempts: readonly { endpoint: string; reason: string }[] }) {
    const detail = options.attempts.map((a) => `${a.endpoint} (${a.reason})`).join(', ');
    super({
      code: 'ENDPOINT_UNREACHABLE',
      message: `no endpoint answered: ${detail}; check --endpoints and that the cluster is running`,
    });
    this.attempts = options.attempts;
  }

  static override isInstance(error: unknown): error is EndpointUnreachableError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
