import type { LabTest } from '../lab/lab-test.js';
import { raftSwarm } from './raft-swarm.js';

/** The swarm tests: one seed draws the faults, invariants hold at every step, then liveness. */
export const swarmTests: readonly LabTest[] = [
  {
    name: 'SwarmRaft',
    part: 'swarm',
    description: 'Raft swarm: seed-drawn faults, invariants at every step, liveness, efficiency',
    body: raftSwarm,
  },
];
