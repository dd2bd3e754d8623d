import type { InstallSnapshotArgs, InstallSnapshotReply, PeerId } from '../types.js';
import type { RaftCore } from './raft-core.js';
import { acceptLeader } from './replication.js';
import type { LeaderRole } from './role.js';

/** Leader: the follower needs entries the log no longer has; send the snapshot instead. */
export function sendSnapshot(r: RaftCore, role: LeaderRole, to: PeerId): void {
  const pr = role.progress[to]!;
  const args: InstallSnapshotArgs = {
    term: r.term,
    leaderId: r.id,
    lastIncludedIndex: r.log.snapshotIndex,
    lastIncludedTerm: r.log.snapshotTerm,
    data: r.snapshotData,
    round: role.round,
  };
  r.send(to, { type: 'InstallSnapshot', args });
  pr.becomeSnapshot(r.log.snapshotIndex, r.now);
  r.trace('send-snapshot', { to, index: args.lastIncludedIndex });
}

/**
 * InstallSnapshot receiver (Figure 13, one chunk). A snapshot at or below the
 * commit index adds nothing and is ignored. Otherwise the log keeps the
 * suffix after the snapshot if it agrees at the snapshot's index, else it is
 * discarded; the snapshot goes to the service ahead of any later entry.
 */
export function handleInstallSnapshot(
  r: RaftCore,
  args: InstallSnapshotArgs,
): InstallSnapshotReply {
  if (args.term < r.term) return { term: r.term, round: args.round };
  acceptLeader(r, args.term, args.leaderId);
  const index = args.lastIncludedIndex;
  const term = args.lastIncludedTerm;
  if (index <= r.commitIndex) return { term: r.term, round: args.round };

  const meta = { index, term };
  if (r.log.term(index) === term) {
    r.log.compactTo(index);
    r.persistQueue.snapshot(meta, args.data);
  } else {
    r.log.resetTo(index, term);
    r.persistQueue.snapshot(meta, args.data);
    r.persistQueue.truncateFrom(index + 1);
  }
  r.snapshotData = args.data;
  r.commitIndex = index;
  r.appliedTo = index;
  r.snapshotToApply = { index, term, data: args.data };
  r.trace('install-snapshot', { index, snapTerm: term });
  return { term: r.term, round: args.round };
}

/**
 * The service snapshotted everything up to `index`: drop that log prefix.
 * The caller has checked index ≤ appliedTo. A snapshot at or below the
 * current one is stale (an InstallSnapshot overtook it) and ignored.
 */
export function compactLog(r: RaftCore, index: number, data: Uint8Array): void {
  if (index <= r.log.snapshotIndex) return;
  r.log.compactTo(index);
  r.snapshotData = data;
  r.persistQueue.snapshot({ index, term: r.log.snapshotTerm }, data);
}
