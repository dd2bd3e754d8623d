import type { LabTest } from '../lab/lab-test.js';
import { kvSwarm } from './kv-swarm.js';
import { raftSwarm } from './raft-swarm.js';

/** The swarm tests: one seed draws the faults, invariants hold at every step, then liveness. */
export const swarmTests: readonly LabTest[] = [
  {
    name: 'SwarmRaft',
    part: 'swarm',
    description: 'Raft swarm: seed-drawn faults, invariants at every step, liveness, efficiency',
    body: raftSwarm,
  },
  {
    name: 'SwarmKv',
    part: 'swarm',
    description:
      'key/value swarm: seed-drawn faults, invariants and replica digests at every step, liveness, linearizability',
    body: kvSwarm,
  },
];
