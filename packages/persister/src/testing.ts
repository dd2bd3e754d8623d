import { DiskPersister, type DiskPersisterOptions } from './disk-persister.js';
import type { SimDisk } from './fs/sim-disk.js';

export {
  type CrashPolicy,
  type PendingTarget,
  SimDisk,
  type SimDiskOptions,
  type SimFault,
  type SimMutation,
} from './fs/sim-disk.js';
export type { CrashKeep } from './fs/sim-nodes.js';

/**
 * Opens a `DiskPersister` on the simulated disk without awaiting: recovery
 * reads the disk's current content synchronously (no virtual latency), and
 * the lock and any repairs run before the first write. For harnesses whose
 * restart is synchronous (the lab's `start1`); `fs` defaults to `disk.fs`.
 */
export function openSimDiskPersister(
  disk: SimDisk,
  options: Omit<DiskPersisterOptions, 'fs'> & { fs?: DiskPersisterOptions['fs'] },
): DiskPersister {
  let files: Map<string, Uint8Array>;
  try {
    files = disk.filesSync(options.dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    files = new Map();
  }
  return DiskPersister.openFromImage(
    { ...options, fs: options.fs ?? disk.fs, clock: options.clock ?? disk.clock },
    { names: [...files.keys()], read: (name) => files.get(name) ?? new Uint8Array(0) },
  );
}
