export { InvalidPersistBatchError } from './errors/invalid-persist-batch-error.js';
export { MemoryPersister } from './memory-persister.js';
export type {
  HardState,
  LogEntry,
  PersistBatch,
  PersistedState,
  RaftStorage,
  SnapshotMeta,
} from './types.js';
