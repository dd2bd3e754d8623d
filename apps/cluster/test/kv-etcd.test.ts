import { test } from 'vitest';
import { etcdScenarios } from '../src/kv-harness/etcd-scenarios.js';
import { kvTestTimeout, runKvTest } from '../src/kv-harness/run.js';

// etcd's operations beyond the lab (delete, prefix range, txn compare-and-set) under the lab's
// faults, each history checked against the etcd-kv model. SEED=<n> replays one run;
// SEEDS=1-300 sweeps seeds in one process.

for (const scenario of etcdScenarios) {
  test(`Test${scenario.name}`, () => runKvTest(scenario), kvTestTimeout());
}
