/**
 * The key/value half of the tester: the lab's kvraft config and tests in virtual time.
 * `kvLabTests` (the 23 lab tests) and `kvDedupTests` are `LabTest`s for the shared registry,
 * the CLI and the sweep command.
 */
export { checkClntAppends, checkConcurrentAppends } from './appends.js';
export { KvConfig, type KvConfigOptions, TEST_TIME_LIMIT_MS } from './config.js';
export { type GenericTestOptions, genericTest } from './generic-test.js';
export { type KvOperation, OpLog } from './history.js';
export { kvDedupTests, kvLab4A, kvLab4B, kvTest, kvTests } from './lab-tests.js';
export { etcdScenario, type EtcdScenarioOptions, etcdScenarios } from './etcd-scenarios.js';
export { checkKvHistory, historyJson, toCheckerOperations } from './linearizability-check.js';
export { type KvTestBody, type KvTestContext, kvLabTest, runKvTest } from './run.js';

import { kvLab4A, kvLab4B } from './lab-tests.js';
/** The 23 lab tests (4A then 4B). */
export const kvLabTests = [...kvLab4A, ...kvLab4B];
