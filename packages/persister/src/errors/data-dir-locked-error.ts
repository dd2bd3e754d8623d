import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.DataDirLockedError');

/**
 * Another live process (or another persister in this process) holds the data
 * directory's lock file. Two writers would interleave their logs. Stop the
 * other holder; remove the lock file only if you are sure no process uses
 * the directory.
 */
export class DataDirLockedError extends RaftkitError {
  readonly [marker] = true;
  readonly dir: string;
  /** The holder's identity as written in the lock file (a pid for the real file system). */
  readonly holder: string;

  constructor(options: { dir: string; lockFile: string; holder: string }) {
    super({
      code: 'DATA_DIR_LOCKED',
      message: `data directory ${options.dir} is in use by ${options.holder} (lock file ${options.lockFile}); stop that process first — remove the lock file only if no process uses the directory`,
    });
    this.dir = options.dir;
    this.holder = options.holder;
  }

  static override isInstance(error: unknown): error is DataDirLockedError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
