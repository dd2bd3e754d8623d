import type { AppendEntriesReply, InstallSnapshotReply, PeerId, RaftRequest } from '../types.js';
import { becomeFollower } from './election.js';
import { committedIndex, hasQuorum } from './quorum.js';
import type { CoreEvent, RaftCore } from './raft-core.js';
import { ackRead } from './read-index.js';
import {
  commitNews,
  nextAfterRejection,
  sendAppend,
  sendHeartbeat,
  sendMore,
} from './replication.js';
import type { LeaderRole } from './role.js';

/** Leader: heartbeats, CheckQuorum, AppendEntries/InstallSnapshot replies and lost calls. */
export function stepLeader(r: RaftCore, event: CoreEvent): void {
  const role = r.role as LeaderRole;
  switch (event.type) {
    case 'tick':
      tickLeader(r, role);
      return;
    case 'unreachable':
      onUnreachable(r, role, event.to, event.req);
      return;
    case 'reply': {
      const { from, req } = event;
      if (event.reply.term > r.term) {
        becomeFollower(r, event.reply.term, -1);
        return;
      }
      if (req.args.term !== r.term) return; // a reply to an earlier term's request
      if (req.type === 'AppendEntries')
        onAppendReply(r, role, from, req.args.prevLogIndex, event.reply as AppendEntriesReply);
      else if (req.type === 'InstallSnapshot')
        onSnapshotReply(
          r,
          role,
          from,
          req.args.lastIncludedIndex,
          event.reply as InstallSnapshotReply,
        );
      return;
    }
  }
}

function tickLeader(r: RaftCore, role: LeaderRole): void {
  if (r.config.checkQuorum && r.now >= role.quorumCheckDue) {
    role.quorumCheckDue = r.now + r.config.electionTimeoutMaxMs;
    let active = 1;
    for (let i = 0; i < r.n; i++) {
      if (i === r.id) continue;
      if (role.progress[i]!.recentActive) active += 1;
      role.progress[i]!.recentActive = false;
    }
    if (!hasQuorum(r.n, active)) {
      r.trace('step-down', { reason: 'check-quorum', active });
      becomeFollower(r, r.term, -1);
      return;
    }
  }
  if (r.now >= role.heartbeatDue) broadcastHeartbeat(r, role);
}

/**
 * One heartbeat round. Probing followers get a fresh probe (with entries);
 * a follower whose oldest in-flight AppendEntries looks lost is probed again
 * from its match index; a snapshot is resent when unanswered for long.
 */
export function broadcastHeartbeat(r: RaftCore, role: LeaderRole): void {
  role.heartbeatDue = r.now + r.config.heartbeatIntervalMs;
  for (let i = 0; i < r.n; i++) {
    if (i === r.id) continue;
    const pr = role.progress[i]!;
    if (pr.state.kind === 'probe') {
      pr.state.probeSent = false;
      sendAppend(r, role, i);
    } else if (pr.hasStaleInflight(r.now, r.config.staleAppendMs)) {
      pr.becomeProbe();
      sendAppend(r, role, i);
    } else if (
      pr.state.kind === 'snapshot' &&
      r.now - pr.state.sentAt >= r.config.snapshotResendMs
    ) {
      pr.becomeProbe();
      sendAppend(r, role, i);
    } else {
      sendHeartbeat(r, role, i);
    }
  }
  role.commitDirty = false;
}

/** Sends proposed entries (and, failing that, a commit update) to every follower. */
export function broadcastPending(r: RaftCore, role: LeaderRole): void {
  if (!role.pendingBroadcast && !role.commitDirty) return;
  for (let i = 0; i < r.n; i++) {
    if (i === r.id) continue;
    const sent = sendMore(r, role, i);
    if (!sent && commitNews(r, role, i)) sendHeartbeat(r, role, i);
  }
  role.pendingBroadcast = false;
  role.commitDirty = false;
}

/** Advances the commit index to the highest index a majority holds, if it is of this term (§5.4.2). */
export function maybeCommit(r: RaftCore, role: LeaderRole): void {
  const n = committedIndex(role.progress.map((p) => p.match));
  if (n > r.commitIndex && r.log.term(n) === r.term) {
    r.commitIndex = n;
    r.trace('commit', { index: n });
    role.committedInTerm = true;
    role.commitDirty = true;
  }
}

function onAppendReply(
  r: RaftCore,
  role: LeaderRole,
  from: PeerId,
  prevLogIndex: number,
  reply: AppendEntriesReply,
): void {
  const pr = role.progress[from]!;
  pr.recentActive = true;
  ackRead(r, from, reply.round);
  if (reply.success) {
    const advanced = pr.maybeUpdate(reply.matchIndex);
    if (pr.state.kind === 'probe') pr.becomeReplicate();
    else if (pr.state.kind === 'snapshot' && pr.match >= pr.state.pendingIndex)
      pr.becomeReplicate();
    if (advanced) maybeCommit(r, role);
    sendMore(r, role, from);
    // A follower whose acknowledgement arrived after the commit: tell it now, not at the next heartbeat.
    if (commitNews(r, role, from)) sendHeartbeat(r, role, from);
    return;
  }
  if (prevLogIndex <= pr.match) return; // stale: the follower has matched beyond it since
  if (pr.state.kind === 'snapshot') return;
  if (pr.state.kind === 'probe' && prevLogIndex !== pr.next - 1) return; // not the current probe
  pr.becomeProbeAt(nextAfterRejection(r, prevLogIndex, reply));
  sendAppend(r, role, from);
}

function onSnapshotReply(
  r: RaftCore,
  role: LeaderRole,
  from: PeerId,
  index: number,
  reply: InstallSnapshotReply,
): void {
  const pr = role.progress[from]!;
  pr.recentActive = true;
  ackRead(r, from, reply.round);
  const advanced = pr.maybeUpdate(index);
  if (pr.state.kind !== 'replicate') pr.becomeReplicate();
  if (advanced) maybeCommit(r, role);
  sendMore(r, role, from);
}

function onUnreachable(r: RaftCore, role: LeaderRole, to: PeerId, req: RaftRequest): void {
  if (req.args.term !== r.term) return;
  const pr = role.progress[to]!;
  if (req.type === 'AppendEntries') {
    const last = req.args.prevLogIndex + req.args.entries.length;
    if (pr.state.kind === 'replicate' && req.args.entries.length > 0 && last > pr.match) {
      pr.becomeProbe();
      sendAppend(r, role, to);
    }
  } else if (req.type === 'InstallSnapshot') {
    if (pr.state.kind === 'snapshot' && pr.state.pendingIndex === req.args.lastIncludedIndex)
      pr.becomeProbe();
  }
}
