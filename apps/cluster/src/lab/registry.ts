import { etcdScenarios, kvDedupTests, kvLabTests } from '../kv-harness/index.js';
import { raftLabTests } from '../raft-harness/index.js';
import { swarmTests } from '../swarm/index.js';
import type { LabTest } from './lab-test.js';

/** Every test the CLI knows: the 28 Raft lab tests, the 23 key/value lab tests, then extras and the swarm. */
export const allLabTests: readonly LabTest[] = [
  ...raftLabTests,
  ...kvLabTests,
  ...kvDedupTests,
  ...etcdScenarios,
  ...swarmTests,
];

/** Finds a test by its lab name, with or without the "Test" prefix. */
export function findLabTest(name: string): LabTest | undefined {
  const bare = name.startsWith('Test') ? name.slice(4) : name;
  return allLabTests.find((t) => t.name === bare);
}
