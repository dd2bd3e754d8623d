export { DiskPersister, type DiskPersisterOptions } from './disk-persister.js';
export { DataDirLockedError } from './errors/data-dir-locked-error.js';
export { InvalidPersistBatchError } from './errors/invalid-persist-batch-error.js';
export { StorageFailedError } from './errors/storage-failed-error.js';
export { WalCorruptionError } from './errors/wal-corruption-error.js';
export type { FileHandle, FileSystem, LockOwner, OpenMode } from './fs/file-system.js';
export { InlineWritePolicy } from './fs/inline-write-policy.js';
export {
  NodeFileSystem,
  type NodeFileSystemOptions,
  processLockOwner,
} from './fs/node-file-system.js';
export { MemoryPersister } from './memory-persister.js';
