import type { LabTest } from '../lab/lab-test.js';
import { tests3A } from './tests-3a.js';
import { tests3B } from './tests-3b.js';
import { tests3C } from './tests-3c.js';
import { tests3D } from './tests-3d.js';

/** All 28 Raft lab tests, in the order of the 2024 test file. */
export const raftLabTests: readonly LabTest[] = [...tests3A, ...tests3B, ...tests3C, ...tests3D];

export { checkNoLeader, checkOneLeader, checkTerms, nCommitted, one, wait } from './checks.js';
export { raftTest } from './define.js';
export {
  RaftHarness,
  harnessRaftOptions,
  MAX_LOG_SIZE,
  RAFT_ELECTION_TIMEOUT,
  SNAPSHOT_INTERVAL,
} from './harness.js';
