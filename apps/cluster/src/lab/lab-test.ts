import type { Simulation } from '@raftkit/labrpc';

/** What a lab test reports on success: the lab's summary line fields. */
export interface LabSummary {
  /** Virtual seconds from begin() to end(). */
  seconds: number;
  peers: number;
  rpcs: number;
  bytes: number;
  /** Commands agreed during the test (the rise of the highest applied index). */
  ops: number;
  /** The checker's verdict on the test's client history, for tests that check one. */
  linearizability?: { verdict: 'ok' | 'illegal' | 'unknown'; operations: number };
}

/**
 * One named lab-equivalent test. `body` runs inside `sim.run` in virtual
 * time and returns its summary. Registries (raft-harness, kv-harness) list them.
 */
export interface LabTest {
  /** The lab's Go test name without the "Test" prefix, e.g. "Figure8Unreliable3C". */
  name: string;
  /** "3A" … "3D", "4A", "4B". */
  part: string;
  /** The lab's description string, e.g. "Figure 8 (unreliable)". */
  description: string;
  body(sim: Simulation): Promise<LabSummary>;
}

export class LabTestFailure extends Error {
  override name = 'LabTestFailure';
}
