import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.UnknownPeerError');

/** An end was requested for a node id with no address. Add it with `setPeer(id, address)` first. */
export class UnknownPeerError extends RaftkitError {
  readonly [marker] = true;
  readonly peer: string;

  constructor(options: { peer: string; known: readonly string[] }) {
    super({
      code: 'UNKNOWN_PEER',
      message:
        `no address for peer "${options.peer}"; known peers: ${options.known.join(', ') || '(none)'}. ` +
        'Pass it in options.peers or call setPeer(id, { host, port }) first',
    });
    this.peer = options.peer;
  }

  static override isInstance(error: unknown): error is UnknownPeerError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
