import { test } from 'vitest';
import { kvTest } from '../src/kv-harness/lab-tests.js';
import { kvTestTimeout, runKvTest } from '../src/kv-harness/run.js';

// Exactly-once: a request (same clientId and seq) delivered twice straight to the KVServer
// service, to one leader, concurrently, across a leader change and across a snapshot restore,
// takes effect once.
// Each test prints the lab's summary line and its seed. SEED=<n> replays one run; SEEDS=1-300
// sweeps seeds in one process. A failure prints the replay command and the trace path.

function labTest(name: string): void {
  test(name, () => runKvTest(kvTest(name)), kvTestTimeout());
}

labTest('TestDuplicateToLeader');
labTest('TestDuplicateAcrossLeaderChange');
labTest('TestDuplicateAcrossSnapshotRestore');
