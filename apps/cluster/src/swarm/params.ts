import type { Rng } from '@raftkit/core';

/** Which partition shapes the nemesis may use. */
export type PartitionKind = 'halves' | 'isolate-leader' | 'bridge' | 'one-way';

/**
 * Which crashes the nemesis may cause: a random minority, the leader, every
 * server, or (`election-blip`) a random server a few ms after a new term
 * appears, back 1–40 ms later, and a server right after it persisted a new
 * term or vote, back 0.5–10 ms later (a vote or a campaign cut short by a crash),
 * or (`mid-save`) a server while one of its saves is in flight (async storage).
 */
export type CrashKind = 'minority' | 'leader' | 'all' | 'election-blip' | 'mid-save';

/**
 * Everything that shapes one swarm run, drawn from its seed (swarm testing:
 * each run enables a random subset of faults at random intensities, so that
 * one fault does not mask the bug another would expose). Times in virtual ms.
 */
export interface SwarmParams {
  servers: 3 | 5;
  /** Length of the fault phase. */
  faultPhaseMs: number;
  /** Mean pause between two nemesis actions. */
  nemesisEveryMs: number;
  partitions: PartitionKind[];
  crashes: CrashKind[];
  /** Outage lengths a crash draws from: short [50, 500] ms and/or long [1, 5] s. */
  outages: ('short' | 'long')[];
  /**
   * Leader churn, as the lab's Figure 8 tests do it: every 0–13 ms (now and then up to
   * 500 ms) the leader crashes, and whenever fewer than a majority run, a random server restarts.
   */
  leaderChurn: boolean;
  /** Periods of the lab's unreliable mode (10 % drops, 0–26 ms extra). */
  unreliablePeriods: boolean;
  /** Periods of the lab's long reordering of replies. */
  longReordering: boolean;
  /** Probability a request is delivered twice (0 = off). */
  duplicateRate: number;
  /** Probability a hop takes a delay spike (0 = off), and the spike's range. */
  spikeRate: number;
  spikeMs: [number, number];
  /** Per-node clock rates (1 = exact); empty when drift is off. */
  clockRates: number[];
  /** Saves complete after a delay (and are lost in flight at a crash); else synchronous. */
  asyncStorage: boolean;
  /** Async saves take 2–20 ms (a slow disk) instead of 0.05–3 ms with rare 5–20 ms stalls. */
  slowDisk: boolean;
  /**
   * Storage is the real write-ahead log (`DiskPersister`) on a simulated disk, and a crash is a
   * power loss (torn and lost unsynced writes); `asyncStorage` and `slowDisk` then do not apply.
   */
  disk: boolean;
  /** Raft level: the service takes its snapshots 0–5 ms after the apply (in the background). */
  snapshotLag: boolean;
  /** Service snapshot every this many applied entries; 0 = never (raft level) / maxraftstate (kv level). */
  snapshotEvery: number;
  preVote: boolean;
  checkQuorum: boolean;
  /** Raft level: issue ReadIndex requests. Kv level: Gets through ReadIndex (else through the log). */
  readIndex: boolean;
  maxEntriesPerAppend: number;
  maxInflightAppends: number;
  /** Raft level: propose to every peer that believes it leads (stale leaders too), as the lab's Figure 8 tests do. */
  proposeToAll: boolean;
  /** Raft level: proposals per workload tick, 0–2 ms apart (bursts keep saves busy). */
  burst: number;
  /** Workload: mean pause between proposals (raft) or client operations (kv). */
  workloadEveryMs: number;
  /** Kv level: clerks and keys. */
  clients: number;
  keys: number;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(0, items.length - 1)]!;
}

/** A random non-empty subset of `items` (each kept with probability ½). */
function subset<T>(rng: Rng, items: readonly T[]): T[] {
  for (;;) {
    const out = items.filter(() => rng.chance(0.5));
    if (out.length > 0) return out;
  }
}

/** Draws a run's parameters from its own stream of the seed. */
export function drawParams(rng: Rng): SwarmParams {
  const servers = rng.chance(0.6) ? 3 : 5;
  const drift = rng.chance(0.5) ? rng.float() * 0.1 : 0;
  const spikeRate = rng.chance(0.3) ? rng.float() * 0.05 : 0;
  return {
    servers,
    faultPhaseMs: rng.int(2_000, 8_000),
    nemesisEveryMs: pick(rng, [40, 150, 400, 1000]),
    partitions: rng.chance(0.85)
      ? subset(rng, ['halves', 'isolate-leader', 'bridge', 'one-way'] as const)
      : [],
    crashes: rng.chance(0.75)
      ? subset(rng, ['minority', 'leader', 'all', 'election-blip', 'mid-save'] as const)
      : [],
    outages: subset(rng, ['short', 'long'] as const),
    leaderChurn: rng.chance(0.2),
    unreliablePeriods: rng.chance(0.5),
    longReordering: rng.chance(0.3),
    duplicateRate: rng.chance(0.3) ? rng.float() * 0.1 : 0,
    spikeRate,
    spikeMs: [20, pick(rng, [100, 400, 1200])],
    clockRates:
      drift === 0 ? [] : Array.from({ length: servers }, () => 1 + (rng.float() * 2 - 1) * drift),
    asyncStorage: rng.chance(0.5),
    slowDisk: rng.chance(0.3),
    snapshotEvery: rng.chance(0.5) ? pick(rng, [3, 10, 40]) : 0,
    snapshotLag: rng.chance(0.5),
    preVote: rng.chance(0.5),
    checkQuorum: rng.chance(0.5),
    readIndex: rng.chance(0.5),
    maxEntriesPerAppend: rng.chance(0.6) ? 512 : pick(rng, [1, 4, 32]),
    maxInflightAppends: rng.chance(0.6) ? 16 : pick(rng, [1, 4, 64]),
    proposeToAll: rng.chance(0.5),
    burst: rng.chance(0.5) ? 1 : rng.int(2, 8),
    workloadEveryMs: pick(rng, [5, 20, 60]),
    clients: rng.int(1, 6),
    keys: pick(rng, [1, 2, 5]),
    // Drawn last, so that the draws above (and every run without the disk) stay as they were.
    disk: rng.chance(0.3),
  };
}

/** One line naming the parameters, for failure reports and the trace. */
export function describeParams(p: SwarmParams): string {
  const parts = [
    `${p.servers} servers`,
    `faults ${p.faultPhaseMs}ms every ~${p.nemesisEveryMs}ms`,
    `partitions [${p.partitions.join(',')}]`,
    `crashes [${p.crashes.join(',')}] (${p.outages.join('/')})`,
  ];
  if (p.leaderChurn) parts.push('leader churn');
  if (p.unreliablePeriods) parts.push('unreliable periods');
  if (p.longReordering) parts.push('long reordering');
  if (p.duplicateRate > 0) parts.push(`dup ${p.duplicateRate.toFixed(3)}`);
  if (p.spikeRate > 0) parts.push(`spikes ${p.spikeRate.toFixed(3)} ≤${p.spikeMs[1]}ms`);
  if (p.clockRates.length > 0)
    parts.push(`clock rates ${p.clockRates.map((r) => r.toFixed(3)).join('/')}`);
  if (p.disk) parts.push('WAL on a simulated disk (power loss at crashes)');
  else if (p.asyncStorage) parts.push(p.slowDisk ? 'async storage (slow disk)' : 'async storage');
  if (p.burst > 1) parts.push(`bursts of ${p.burst}`);
  if (p.snapshotEvery > 0)
    parts.push(`snapshot every ${p.snapshotEvery}${p.snapshotLag ? ' (in the background)' : ''}`);
  parts.push(
    `prevote ${p.preVote ? 'on' : 'off'}`,
    `checkquorum ${p.checkQuorum ? 'on' : 'off'}`,
    `readindex ${p.readIndex ? 'on' : 'off'}`,
    p.proposeToAll ? 'proposals to every leader' : 'proposals to the newest leader',
    `append ≤${p.maxEntriesPerAppend}×${p.maxInflightAppends} in flight`,
  );
  return parts.join(', ');
}
