import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.NodeUnavailableError');

/**
 * `raftkit serve` could not assemble a node because a building block is not part of this build
 * (listed in `missing`). Use a build that includes them; `raftkit up --engine etcd` runs the same
 * tooling against etcd meanwhile.
 */
export class NodeUnavailableError extends RaftkitError {
  readonly [marker] = true;
  readonly missing: readonly string[];

  constructor(options: { missing: readonly string[] }) {
    super({
      code: 'NODE_UNAVAILABLE',
      message: `this build cannot run a raftkit node: it lacks ${options.missing.join(', ')}`,
    });
    this.missing = options.missing;
  }

  static override isInstance(error: unknown): error is NodeUnavailableError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
