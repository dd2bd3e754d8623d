import { expect, it } from 'vitest';
import * as api from '../src/index.js';
import * as testing from '../src/testing.js';

it('exports exactly the public surface', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "DataDirLockedError",
      "DiskPersister",
      "InlineWritePolicy",
      "InvalidPersistBatchError",
      "MemoryPersister",
      "NodeFileSystem",
      "StorageFailedError",
      "WalCorruptionError",
      "processLockOwner",
    ]
  `);
});

it('exports exactly the testing surface', () => {
  expect(Object.keys(testing).sort()).toMatchInlineSnapshot(`
    [
      "SimDisk",
      "openSimDiskPersister",
    ]
  `);
});
