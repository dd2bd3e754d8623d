export { InvalidPersistBatchError } from './errors/invalid-persist-batch-error.js';
export { MemoryPersister } from './memory-persister.js';
