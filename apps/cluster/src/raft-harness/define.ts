import type { Simulation } from '@raftkit/labrpc';
import type { LabSummary, LabTest } from '../lab/lab-test.js';
import { RaftHarness } from './harness.js';

export interface RaftTestSetup {
  servers: number;
  unreliable?: boolean;
  /** Snapshot mode: applierSnap (strict in-order applies, a snapshot every 10 entries). */
  snapshot?: boolean;
}

/** Declares one lab Raft test: make_config(servers, unreliable, snapshot), begin(description), body, end(). */
export function raftTest(
  name: string,
  description: string,
  setup: RaftTestSetup,
  body: (h: RaftHarness) => Promise<void>,
): LabTest {
  const part = name.slice(-2);
  return {
    name,
    part,
    description,
    async body(sim: Simulation): Promise<LabSummary> {
      const h = new RaftHarness(
        sim,
        setup.servers,
        setup.unreliable ?? false,
        setup.snapshot ?? false,
      );
      try {
        h.begin(`Test (${part}): ${description}`);
        await body(h);
        return h.end();
      } finally {
        h.cleanup();
      }
    },
  };
}
