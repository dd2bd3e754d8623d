import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  InstallSnapshotReply,
  PeerId,
  RaftRequest,
} from '../types.js';
import { maybeCommit } from './commit.js';
import type { LeaderRole } from './role.js';
import {
  commitNews,
  resendStale,
  resendWindow,
  sendAppend,
  sendHeartbeat,
  sendMore,
} from './send.js';
import type { CoreState } from './state.js';
import { maybeSendTimeoutNow } from './transfer.js';

/** Leader: the receivers of AppendEntries and InstallSnapshot replies, and of lost calls. */

/**
 * Accelerated backup (lab "fast backup"): where to probe next after the
 * follower rejected prevLogIndex. Never above the rejected index, never at or
 * below what the follower is known to match (the caller clamps that).
 */
export function nextAfterRejection(
  r: CoreState,
  prevLogIndex: number,
  reply: AppendEntriesReply,
): number {
  let next: number;
  if (reply.conflictTerm === -1) {
    next = reply.conflictIndex;
  } else {
    const last = r.log.lastIndexOfTerm(reply.conflictTerm, prevLogIndex);
    next = last >= 0 ? last + 1 : reply.conflictIndex;
  }
  return Math.max(1, Math.min(next, prevLogIndex));
}

export function onAppendReply(
  r: CoreState,
  role: LeaderRole,
  from: PeerId,
  args: AppendEntriesArgs,
  reply: AppendEntriesReply,
): void {
  const pr = role.progress[from]!;
  pr.recentActive = true;
  pr.lastHeard = r.now;
  r.reads.ack(from, reply.round);
  if (reply.success) {
    const advanced = pr.maybeUpdate(reply.matchIndex);
    if (pr.state.kind === 'probe') pr.becomeReplicate();
    else if (pr.state.kind === 'snapshot' && pr.match >= pr.state.pendingIndex)
      pr.becomeReplicate();
    if (advanced) maybeCommit(r, role);
    resendStale(r, role, from);
    sendMore(r, role, from);
    // A follower whose acknowledgement arrived after the commit: tell it now, not at the next
    // heartbeat; or, with commitNotifyDelayMs, in the delayed broadcast (new entries may carry it).
    if (commitNews(r, role, from)) {
      if (r.config.commitNotifyDelayMs > 0) role.commitDirty = true;
      else sendHeartbeat(r, role, from);
    }
    maybeSendTimeoutNow(r, role);
    return;
  }
  const prev = args.prevLogIndex;
  if (prev <= pr.match) return; // stale: the follower has matched beyond it since
  if (pr.state.kind === 'snapshot') return;
  if (pr.state.kind === 'probe' && prev !== pr.next - 1) return; // not the current probe
  // Replicate: the append overtook an earlier window still in flight, so the
  // rejection says nothing about the follower's log. Its window stays
  // unacknowledged; if the earlier one was really lost, the stale-window
  // check sends it again.
  if (pr.hasWindowUpTo(prev)) {
    r.trace('append-overtaken', { from, prev });
    return;
  }
  pr.becomeProbeAt(nextAfterRejection(r, prev, reply));
  sendAppend(r, role, from);
}

export function onSnapshotReply(
  r: CoreState,
  role: LeaderRole,
  from: PeerId,
  index: number,
  reply: InstallSnapshotReply,
): void {
  const pr = role.progress[from]!;
  pr.recentActive = true;
  pr.lastHeard = r.now;
  r.reads.ack(from, reply.round);
  const advanced = pr.maybeUpdate(index);
  if (pr.state.kind !== 'replicate') pr.becomeReplicate();
  if (advanced) maybeCommit(r, role);
  sendMore(r, role, from);
  maybeSendTimeoutNow(r, role);
}

/**
 * A call that never got an answer (dropped, partitioned, peer down). A lost
 * window in replicate state is sent again at once while the follower answers
 * other calls; a follower silent for a minimum election timeout is probed.
 */
export function onUnreachable(r: CoreState, role: LeaderRole, to: PeerId, req: RaftRequest): void {
  if (req.args.term !== r.term) return;
  const pr = role.progress[to]!;
  if (req.type === 'AppendEntries') {
    const last = req.args.prevLogIndex + req.args.entries.length;
    if (pr.state.kind !== 'replicate' || req.args.entries.length === 0 || last <= pr.match) return;
    const w = pr.window(last);
    if (w === undefined) return; // an older send of a window that has been sent again
    if (r.now - pr.lastHeard >= r.config.electionTimeoutMinMs) {
      pr.becomeProbe();
      return; // the next heartbeat probes
    }
    // A lost call is a lost request or a lost reply; the leader cannot tell.
    // Resend at once only when the follower answered since this window last
    // left (the link works both ways, the loss was a drop) or on the window's
    // first loss. Otherwise (a one-way cut eating every reply) an immediate
    // resend would fail the same way, in a loop as fast as the round trip:
    // the stale-window check resends it after staleAppendMs instead.
    if (w.resent && pr.lastHeard <= w.sentAt) return;
    w.resent = true;
    resendWindow(r, role, to, w);
  } else if (req.type === 'InstallSnapshot') {
    if (pr.state.kind === 'snapshot' && pr.state.pendingIndex === req.args.lastIncludedIndex)
      pr.becomeProbe();
  }
}
