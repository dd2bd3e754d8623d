import { test } from 'vitest';
import { kvTest } from '../src/kv-harness/lab-tests.js';
import { kvTestTimeout, runKvTest } from '../src/kv-harness/run.js';

// Lab 4B (6.5840 2024): the key/value service with snapshots (maxraftstate 1000), all 9.
// Each test prints the lab's summary line and its seed. SEED=<n> replays one run; SEEDS=1-300
// sweeps seeds in one process. A failure prints the replay command and the trace path.

function labTest(name: string): void {
  test(name, () => runKvTest(kvTest(name)), kvTestTimeout());
}

labTest('TestSnapshotRPC4B');
labTest('TestSnapshotSize4B');
labTest('TestSpeed4B');
labTest('TestSnapshotRecover4B');
labTest('TestSnapshotRecoverManyClients4B');
labTest('TestSnapshotUnreliable4B');
labTest('TestSnapshotUnreliableRecover4B');
labTest('TestSnapshotUnreliableRecoverConcurrentPartition4B');
labTest('TestSnapshotUnreliableRecoverConcurrentPartitionLinearizable4B');
