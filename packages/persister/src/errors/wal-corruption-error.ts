import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.WalCorruptionError');

/**
 * The data directory holds damage that is not a torn tail (a checksum
 * mismatch followed by valid records, a missing segment or snapshot): the
 * persister refuses to open rather than silently drop acknowledged state.
 * Restore the node from a peer (wipe the directory and let Raft send a
 * snapshot) or inspect `file` at `offset`.
 */
export class WalCorruptionError extends RaftkitError {
  readonly [marker] = true;
  /** The damaged file's path. */
  readonly file: string;
  /** Byte offset of the damage in `file`. */
  readonly offset: number;

  constructor(options: { file: string; offset: number; reason: string; cause?: unknown }) {
    super({
      code: 'WAL_CORRUPTION',
      message: `write-ahead log corrupt at ${options.file} offset ${options.offset}: ${options.reason}; this is not a torn tail, so nothing was repaired — restore this node from a peer (empty its data directory) or inspect the file`,
      cause: options.cause,
    });
    this.file = options.file;
    this.offset = options.offset;
  }

  static override isInstance(error: unknown): error is WalCorruptionError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
