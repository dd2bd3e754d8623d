import type { AppendEntriesArgs, AppendEntriesReply, PeerId } from '../types.js';
import { becomeFollower, resetElectionTimer } from './election.js';
import type { RaftCore } from './raft-core.js';
import type { LeaderRole } from './role.js';
import { sendSnapshot } from './snapshot.js';

// ---- leader side -------------------------------------------------------

/**
 * Sends one AppendEntries to `to` starting at its `next` (up to
 * maxEntriesPerAppend entries), or an InstallSnapshot when `next` fell into
 * the snapshot. Records the send in the follower's progress.
 */
export function sendAppend(r: RaftCore, role: LeaderRole, to: PeerId): void {
  const pr = role.progress[to]!;
  const prev = pr.next - 1;
  const prevTerm = r.log.term(prev);
  if (prevTerm === undefined) {
    sendSnapshot(r, role, to);
    return;
  }
  const last = Math.min(r.log.lastIndex(), prev + r.config.maxEntriesPerAppend);
  const entries = r.log.slice(prev + 1, last);
  const args: AppendEntriesArgs = {
    term: r.term,
    leaderId: r.id,
    prevLogIndex: prev,
    prevLogTerm: prevTerm,
    entries,
    leaderCommit: r.commitIndex,
    round: role.round,
  };
  r.send(to, { type: 'AppendEntries', args });
  pr.commitSent = Math.max(pr.commitSent, Math.min(r.commitIndex, last));
  if (entries.length > 0) pr.sentEntries(last, r.now);
  else if (pr.state.kind === 'probe') pr.state.probeSent = true;
}

/**
 * An empty AppendEntries that carries the commit index and the read round.
 * Anchored at the follower's match index when known (replicate, snapshot), so
 * it never fails the log check merely because newer entries are in flight.
 */
export function sendHeartbeat(r: RaftCore, role: LeaderRole, to: PeerId): void {
  const pr = role.progress[to]!;
  let prev = pr.state.kind === 'probe' ? pr.next - 1 : pr.match;
  let prevTerm = r.log.term(prev);
  if (prevTerm === undefined) {
    prev = r.log.snapshotIndex;
    prevTerm = r.log.snapshotTerm;
  }
  r.send(to, {
    type: 'AppendEntries',
    args: {
      term: r.term,
      leaderId: r.id,
      prevLogIndex: prev,
      prevLogTerm: prevTerm,
      entries: [],
      leaderCommit: r.commitIndex,
      round: role.round,
    },
  });
  pr.commitSent = Math.max(pr.commitSent, Math.min(r.commitIndex, prev));
}

/** Whether `to` could learn a newer commit index from a heartbeat anchored at its match index. */
export function commitNews(r: RaftCore, role: LeaderRole, to: PeerId): boolean {
  const pr = role.progress[to]!;
  return pr.state.kind === 'replicate' && Math.min(r.commitIndex, pr.match) > pr.commitSent;
}

/** Sends whatever `to` can take now (entries not yet sent, within its window). Returns whether anything was sent. */
export function sendMore(r: RaftCore, role: LeaderRole, to: PeerId): boolean {
  const pr = role.progress[to]!;
  let sent = false;
  while (pr.canSendEntries(r.config.maxInflightAppends)) {
    if (pr.state.kind === 'replicate' && pr.next > r.log.lastIndex()) break;
    if (pr.state.kind === 'probe' && pr.next > r.log.lastIndex() && sent) break;
    sendAppend(r, role, to);
    sent = true;
    if (pr.state.kind !== 'replicate') break;
  }
  return sent;
}

/**
 * Accelerated backup (lab "fast backup"): where to probe next after the
 * follower rejected prevLogIndex. Never above the rejected index, never at or
 * below what the follower is known to match (the caller clamps that).
 */
export function nextAfterRejection(
  r: RaftCore,
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

// ---- follower side -----------------------------------------------------

/** AppendEntries receiver (Figure 2, with the conflict hints for fast backup). */
export function handleAppendEntries(r: RaftCore, args: AppendEntriesArgs): AppendEntriesReply {
  const reply: AppendEntriesReply = {
    term: r.term,
    success: false,
    matchIndex: 0,
    conflictIndex: 0,
    conflictTerm: -1,
    round: args.round,
  };
  if (args.term < r.term) return reply;
  acceptLeader(r, args.term, args.leaderId);
  reply.term = r.term;

  let prev = args.prevLogIndex;
  let entries = args.entries;
  const log = r.log;
  if (prev < log.snapshotIndex) {
    // Everything up to the snapshot is committed, hence identical to the leader's.
    entries = entries.slice(Math.min(entries.length, log.snapshotIndex - prev));
    prev = log.snapshotIndex;
  } else if (prev > log.lastIndex()) {
    reply.conflictIndex = log.lastIndex() + 1;
    return reply;
  } else if (log.term(prev) !== args.prevLogTerm) {
    reply.conflictTerm = log.term(prev)!;
    reply.conflictIndex = log.firstIndexOfTermRun(prev);
    return reply;
  }

  for (let i = 0; i < entries.length; i++) {
    const index = prev + 1 + i;
    if (index > log.lastIndex()) {
      appendEntries(r, index, entries.slice(i));
      break;
    }
    if (log.term(index) !== entries[i]!.term) {
      if (index <= r.commitIndex) {
        throw new Error(
          `raft invariant violated: peer ${r.id} asked to overwrite committed index ${index} (commit ${r.commitIndex})`,
        );
      }
      log.truncateFrom(index);
      r.persistQueue.truncateFrom(index);
      appendEntries(r, index, entries.slice(i));
      break;
    }
  }
  const lastNew = prev + entries.length;
  if (args.leaderCommit > r.commitIndex) {
    const before = r.commitIndex;
    r.commitIndex = Math.max(r.commitIndex, Math.min(args.leaderCommit, lastNew));
    if (r.commitIndex > before) r.trace('commit', { index: r.commitIndex });
  }
  reply.success = true;
  reply.matchIndex = lastNew;
  return reply;
}

function appendEntries(
  r: RaftCore,
  firstIndex: number,
  entries: AppendEntriesArgs['entries'],
): void {
  r.log.append(entries as never[]);
  r.persistQueue.append(firstIndex, entries);
}

/** A request from the leader of `term` (≥ ours): follow it and restart the election timer. */
export function acceptLeader(r: RaftCore, term: number, leader: PeerId): void {
  if (term > r.term || r.role.kind !== 'follower') becomeFollower(r, term, leader);
  if (r.role.kind === 'follower') r.role.leader = leader;
  r.lastLeaderContact = r.now;
  r.failedCampaigns = 0;
  resetElectionTimer(r);
}
