import type { RaftInvariants } from './invariants.js';
import type { SwarmWorld } from './world.js';

/**
 * Bounds on Raft's traffic, checked at the end of every swarm run, so that a
 * retransmission storm is a failure with its seed rather than a slow pass.
 * "Needed" counts the entries peers had to store (every entry appended by a
 * durable save, the leaders' own included, so resends after a crash that lost
 * unsynced entries are needed too); "received" counts entries in
 * AppendEntries that reached a server's handler (not those a leader sent into
 * a partition or to a crashed peer).
 *
 * Calibration (Raft level, seeds 1–200, before the storm fix of the core issue):
 * runs without a storm received ≤ 1.6 entries per entry needed and ≤ 610
 * bytes per committed entry beyond the allowance; the storms of the
 * reordering bug received 5–26× and 2,300–15,400 bytes.
 */
export const EFFICIENCY_BOUNDS = {
  /** Entries received in AppendEntries per entry needed (resends after drops included). */
  entriesPerNeeded: 3,
  /** AppendEntries carrying entries per entry needed (1 at most with one entry per message). */
  appendsPerNeeded: 3,
  /** Slack for small runs (entries or messages that may be wasted at any size). */
  slack: 200,
  /** Bytes delivered (SimNetwork.deliveredBytes) per committed entry and follower, beyond the allowance below. */
  bytesPerCommittedPerFollower: 500,
  /** Allowance per virtual second per ordered pair of servers (heartbeats, votes, probes). */
  bytesPerPairSecond: 3000,
};

export interface EfficiencyReport {
  needed: number;
  shipped: number;
  appends: number;
  committed: number;
  bytes: number;
}

/** Measures the run and fails it when a bound is exceeded. */
export function checkEfficiency(
  world: SwarmWorld,
  inv: RaftInvariants,
  needed: number,
  seconds: number,
  options: { bytes: boolean } = { bytes: true },
): EfficiencyReport {
  const t = world.traffic;
  const b = EFFICIENCY_BOUNDS;
  const report: EfficiencyReport = {
    needed,
    shipped: t.entriesShipped,
    appends: t.appendsWithEntries,
    committed: inv.maxCommit,
    bytes: world.net.deliveredBytes(),
  };
  if (t.entriesShipped > b.entriesPerNeeded * needed + b.slack) {
    inv.fail(
      'efficiency',
      `${t.entriesShipped} entries received in AppendEntries for ${needed} entries needed (bound ${b.entriesPerNeeded}× + ${b.slack}): a retransmission storm`,
    );
  }
  if (t.appendsWithEntries > b.appendsPerNeeded * needed + b.slack) {
    inv.fail(
      'efficiency',
      `${t.appendsWithEntries} AppendEntries with entries for ${needed} entries needed (bound ${b.appendsPerNeeded}× + ${b.slack})`,
    );
  }
  const pairs = world.n * (world.n - 1);
  const allowance = b.bytesPerPairSecond * pairs * seconds;
  const perEntry = b.bytesPerCommittedPerFollower * (world.n - 1);
  if (options.bytes && report.bytes > perEntry * Math.max(1, inv.maxCommit) + allowance) {
    inv.fail(
      'efficiency',
      `${report.bytes} bytes delivered for ${inv.maxCommit} committed entries in ${seconds.toFixed(1)}s (bound ${perEntry}/entry + ${Math.round(allowance)})`,
    );
  }
  return report;
}
