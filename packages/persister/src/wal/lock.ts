import type { Clock } from '@raftkit/core';
import { DataDirLockedError } from '../errors/data-dir-locked-error.js';
import type { FileSystem } from '../fs/file-system.js';
import { LOCK_FILE } from './names.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** An empty lock file may be one being written right now: wait this long (ms) before calling it stale. */
const EMPTY_LOCK_GRACE_MS = 100;

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

async function readHolder(fs: FileSystem, path: string): Promise<string | undefined> {
  try {
    return decoder.decode(await fs.readFile(path)).trim();
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Takes the data directory's lock: creates `LOCK` exclusively (O_EXCL) and
 * writes this process's identity into it. A lock whose holder no longer runs
 * (a pid that is gone, a simulated boot that crashed) is stale and taken
 * over. Throws `DataDirLockedError` when a live holder has it. The lock is
 * not synced: after a power loss it is stale anyway.
 */
export async function acquireLock(fs: FileSystem, dir: string, clock: Clock): Promise<string> {
  const path = `${dir}/${LOCK_FILE}`;
  let holder = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await fs.open(path, 'create-exclusive');
      try {
        await fh.write(encoder.encode(`${fs.lockOwner.id}\n`), 0);
      } finally {
        await fh.close();
      }
      return path;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    let seen = await readHolder(fs, path);
    if (seen === '') {
      await clock.sleep(EMPTY_LOCK_GRACE_MS);
      seen = await readHolder(fs, path);
    }
    if (seen === undefined) continue; // released meanwhile
    holder = seen;
    if (seen !== '' && fs.lockOwner.isAlive(seen)) {
      throw new DataDirLockedError({ dir, lockFile: path, holder: seen });
    }
    try {
      await fs.remove(path);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
  }
  throw new DataDirLockedError({
    dir,
    lockFile: path,
    holder: holder === '' ? 'an unknown process' : holder,
  });
}

/** Removes the lock file if it still names this process. */
export async function releaseLock(fs: FileSystem, path: string): Promise<void> {
  if ((await readHolder(fs, path)) === fs.lockOwner.id) await fs.remove(path);
}
