import type { LabTest } from '../lab/lab-test.js';
import {
  duplicateAcrossLeaderChange,
  duplicateAcrossSnapshotRestore,
  duplicateToLeader,
} from './dedup.js';
import { type GenericTestOptions, genericTest, genericTitle } from './generic-test.js';
import { kvLabTest } from './run.js';
import { onePartition, snapshotRpc, snapshotSize, unreliableOneKey } from './scenarios.js';
import { genericTestSpeed } from './speed-test.js';

/** GT(nclients, nservers, unreliable, crash, partitions, maxraftstate, randomkeys), as §8 writes it. */
function gt(
  name: string,
  part: '4A' | '4B',
  nclients: number,
  nservers: number,
  unreliable: boolean,
  crash: boolean,
  partitions: boolean,
  maxRaftState: number,
  randomKeys: boolean,
): LabTest {
  const o: GenericTestOptions = {
    part,
    nclients,
    nservers,
    unreliable,
    crash,
    partitions,
    maxRaftState,
    randomKeys,
  };
  // The lab's title without "Test: " and " (4A)", as the shared registry's descriptions.
  const description = genericTitle(o)
    .replace(/^Test: /, '')
    .replace(/ \(4[AB]\)$/, '');
  return kvLabTest(name, part, description, (ctx) => genericTest(ctx, o));
}

const T = true;
const F = false;

/** The 14 tests of lab 4A (6.5840 2024 names without "Test"), with the lab's parameters. */
export const kvLab4A: readonly LabTest[] = [
  gt('Basic4A', '4A', 1, 5, F, F, F, -1, F),
  kvLabTest('Speed4A', '4A', 'ops complete fast enough', (ctx) => genericTestSpeed(ctx, '4A', -1)),
  gt('Concurrent4A', '4A', 5, 5, F, F, F, -1, F),
  gt('Unreliable4A', '4A', 5, 5, T, F, F, -1, F),
  kvLabTest(
    'UnreliableOneKey4A',
    '4A',
    'concurrent append to same key, unreliable',
    unreliableOneKey,
  ),
  kvLabTest('OnePartition4A', '4A', 'progress in majority / minority / after heal', onePartition),
  gt('ManyPartitionsOneClient4A', '4A', 1, 5, F, F, T, -1, F),
  gt('ManyPartitionsManyClients4A', '4A', 5, 5, F, F, T, -1, F),
  gt('PersistOneClient4A', '4A', 1, 5, F, T, F, -1, F),
  gt('PersistConcurrent4A', '4A', 5, 5, F, T, F, -1, F),
  gt('PersistConcurrentUnreliable4A', '4A', 5, 5, T, T, F, -1, F),
  gt('PersistPartition4A', '4A', 5, 5, F, T, T, -1, F),
  gt('PersistPartitionUnreliable4A', '4A', 5, 5, T, T, T, -1, F),
  gt('PersistPartitionUnreliableLinearizable4A', '4A', 15, 7, T, T, T, -1, T),
];

/** The 9 tests of lab 4B (maxraftstate = 1000). */
export const kvLab4B: readonly LabTest[] = [
  kvLabTest('SnapshotRPC4B', '4B', 'InstallSnapshot RPC', snapshotRpc),
  kvLabTest('SnapshotSize4B', '4B', 'snapshot size is reasonable', snapshotSize),
  kvLabTest('Speed4B', '4B', 'ops complete fast enough', (ctx) =>
    genericTestSpeed(ctx, '4B', 1000),
  ),
  gt('SnapshotRecover4B', '4B', 1, 5, F, T, F, 1000, F),
  gt('SnapshotRecoverManyClients4B', '4B', 20, 5, F, T, F, 1000, F),
  gt('SnapshotUnreliable4B', '4B', 5, 5, T, F, F, 1000, F),
  gt('SnapshotUnreliableRecover4B', '4B', 5, 5, T, T, F, 1000, F),
  gt('SnapshotUnreliableRecoverConcurrentPartition4B', '4B', 5, 5, T, T, T, 1000, F),
  gt('SnapshotUnreliableRecoverConcurrentPartitionLinearizable4B', '4B', 15, 7, T, T, T, 1000, T),
];

/** Exactly-once tests beyond the lab (raw duplicate deliveries). */
export const kvDedupTests: readonly LabTest[] = [
  kvLabTest('DuplicateToLeader', 'dedup', 'duplicate request to one leader', duplicateToLeader),
  kvLabTest(
    'DuplicateAcrossLeaderChange',
    'dedup',
    'duplicate request across a leader change',
    duplicateAcrossLeaderChange,
  ),
  kvLabTest(
    'DuplicateAcrossSnapshotRestore',
    'dedup',
    'duplicate request across a snapshot restore',
    duplicateAcrossSnapshotRestore,
  ),
];

/** All kv tests (23 lab tests, then the dedup tests), for sweeps and the CLI. */
export const kvTests: readonly LabTest[] = [...kvLab4A, ...kvLab4B, ...kvDedupTests];

/** A kv test by name, with or without the "Test" prefix. */
export function kvTest(name: string): LabTest {
  const bare = name.startsWith('Test') ? name.slice(4) : name;
  const test = kvTests.find((t) => t.name === bare);
  if (test === undefined) throw new Error(`no kv test named ${name}`);
  return test;
}
