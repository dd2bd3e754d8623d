import { test } from 'vitest';
import { kvTest } from '../src/kv-harness/lab-tests.js';
import { kvTestTimeout, runKvTest } from '../src/kv-harness/run.js';

// Lab 4A (6.5840 2024): the key/value service without snapshots, all 14 tests.
// Each test prints the lab's summary line and its seed. SEED=<n> replays one run; SEEDS=1-300
// sweeps seeds in one process. A failure prints the replay command and the trace path.

function labTest(name: string): void {
  test(name, () => runKvTest(kvTest(name)), kvTestTimeout());
}

labTest('TestBasic4A');
labTest('TestSpeed4A');
labTest('TestConcurrent4A');
labTest('TestUnreliable4A');
labTest('TestUnreliableOneKey4A');
labTest('TestOnePartition4A');
labTest('TestManyPartitionsOneClient4A');
labTest('TestManyPartitionsManyClients4A');
labTest('TestPersistOneClient4A');
labTest('TestPersistConcurrent4A');
labTest('TestPersistConcurrentUnreliable4A');
labTest('TestPersistPartition4A');
labTest('TestPersistPartitionUnreliable4A');
labTest('TestPersistPartitionUnreliableLinearizable4A');
