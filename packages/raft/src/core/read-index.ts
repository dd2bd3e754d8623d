import type { PeerId, ReadIndexFailure } from '../types.js';
import { hasQuorum } from './quorum.js';
import type { RaftCore } from './raft-core.js';
import { sendHeartbeat } from './replication.js';

/**
 * A ReadIndex request (thesis §6.4): `index` is the commit index when it
 * arrived; it is safe to serve once a majority acknowledged a heartbeat of
 * round ≥ `round`, i.e. sent after the request, in this leader's term.
 */
export interface PendingRead {
  id: number;
  index: number;
  round: number;
  acks: Set<PeerId>;
}

export function requestRead(r: RaftCore, id: number): void {
  const role = r.role;
  if (role.kind !== 'leader') {
    r.readResults.push({ id, result: { ok: false, reason: 'not-leader' } });
    return;
  }
  if (!role.committedInTerm) {
    r.readResults.push({ id, result: { ok: false, reason: 'leader-not-ready' } });
    return;
  }
  role.round += 1;
  r.reads.push({ id, index: r.commitIndex, round: role.round, acks: new Set([r.id]) });
  if (hasQuorum(r.n, 1)) {
    resolveReads(r);
    return;
  }
  for (let i = 0; i < r.n; i++) if (i !== r.id) sendHeartbeat(r, role, i);
}

/** `from` acknowledged this leader's heartbeat of `round`: it counts for every read up to that round. */
export function ackRead(r: RaftCore, from: PeerId, round: number): void {
  if (r.reads.length === 0) return;
  for (const read of r.reads) {
    if (read.round > round) break;
    read.acks.add(from);
  }
  resolveReads(r);
}

function resolveReads(r: RaftCore): void {
  while (r.reads.length > 0 && hasQuorum(r.n, r.reads[0]!.acks.size)) {
    const read = r.reads.shift()!;
    r.readResults.push({ id: read.id, result: { ok: true, index: read.index } });
  }
}

/** The leader stepped down: no pending read may be answered. */
export function failReads(r: RaftCore, reason: ReadIndexFailure): void {
  for (const read of r.reads) r.readResults.push({ id: read.id, result: { ok: false, reason } });
  r.reads = [];
}
