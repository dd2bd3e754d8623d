export type { LabSummary, LabTest } from './lab/lab-test.js';
export { LabTestFailure } from './lab/lab-test.js';
export { allLabTests, findLabTest } from './lab/registry.js';
export {
  failureReport,
  type LabRunResult,
  replayCommand,
  runLabTest,
  summaryLine,
} from './lab/run-lab-test.js';
export { fnv1a, seedFor } from './lab/seed.js';
export {
  checkNoLeader,
  checkOneLeader,
  checkTerms,
  harnessRaftOptions,
  MAX_LOG_SIZE,
  nCommitted,
  one,
  RAFT_ELECTION_TIMEOUT,
  RaftHarness,
  raftLabTests,
  raftTest,
  SNAPSHOT_INTERVAL,
  wait,
} from './raft-harness/index.js';
export { type SweepOptions, type SweepSummary, sweep } from './sweep/sweep.js';
