import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.PeerKilledError');

/** A method that changes state was called on a peer after `kill()`. Create a new peer (restart) instead. */
export class PeerKilledError extends RaftkitError {
  readonly [marker] = true;
  readonly method: string;

  constructor(options: { method: string; me: number; cause?: unknown }) {
    super({
      code: 'PEER_KILLED',
      message: `${options.method}() was called on raft peer ${options.me} after kill(); a killed peer accepts nothing — restart it with a new RaftPeer over a copy of its storage`,
      cause: options.cause,
    });
    this.method = options.method;
  }

  static override isInstance(error: unknown): error is PeerKilledError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
