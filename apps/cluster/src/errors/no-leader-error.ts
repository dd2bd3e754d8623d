import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.NoLeaderError');

/**
 * No endpoint reported itself as the leader. The cluster may be electing (retry in a moment),
 * lack a quorum, or the leader's client URL is missing from --endpoints.
 */
export class NoLeaderError extends RaftkitError {
  readonly [marker] = true;
  readonly seen: readonly string[];

  constructor(options: { seen: readonly string[] }) {
    super({
      code: 'NO_LEADER',
      message: `no endpoint is the leader (${options.seen.join('; ') || 'no endpoint answered'}); wait for an election, or add the leader's client URL to --endpoints`,
    });
    this.seen = options.seen;
  }

  static override isInstance(error: unknown): error is NoLeaderError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
