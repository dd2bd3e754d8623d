import type { AppendEntriesArgs, InstallSnapshotArgs, PeerId } from '../types.js';
import type { Inflight } from './progress.js';
import type { LeaderRole } from './role.js';
import type { CoreState } from './state.js';

/**
 * Leader: what goes to one follower. Every AppendEntries and InstallSnapshot
 * a leader sends is built here, and recorded in the follower's progress.
 */

/** Sends the snapshot when the follower needs entries the log no longer has. */
export function sendSnapshot(r: CoreState, role: LeaderRole, to: PeerId): void {
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

/** Sends entries after `prev` up to `last` (`last` ≤ prev means none). Returns false when `prev` is compacted. */
function sendEntries(
  r: CoreState,
  role: LeaderRole,
  to: PeerId,
  prev: number,
  last: number,
): boolean {
  const prevTerm = r.log.term(prev);
  if (prevTerm === undefined) return false;
  const args: AppendEntriesArgs = {
    term: r.term,
    leaderId: r.id,
    prevLogIndex: prev,
    prevLogTerm: prevTerm,
    entries: r.log.slice(prev + 1, last),
    leaderCommit: r.commitIndex,
    round: role.round,
  };
  r.send(to, { type: 'AppendEntries', args });
  const pr = role.progress[to]!;
  pr.commitSent = Math.max(pr.commitSent, Math.min(r.commitIndex, Math.max(prev, last)));
  return true;
}

/**
 * Sends one AppendEntries to `to` starting at its `next` (up to
 * maxEntriesPerAppend entries), or an InstallSnapshot when `next` fell into
 * the snapshot. In replicate state this opens a new window.
 */
export function sendAppend(r: CoreState, role: LeaderRole, to: PeerId): void {
  const pr = role.progress[to]!;
  const prev = pr.next - 1;
  const last = Math.min(r.log.lastIndex(), prev + r.config.maxEntriesPerAppend);
  if (!sendEntries(r, role, to, prev, last)) {
    sendSnapshot(r, role, to);
    return;
  }
  if (last > prev) pr.sentEntries(prev + 1, last, r.now);
  else if (pr.state.kind === 'probe') pr.state.probeSent = true;
}

/**
 * Replicate state: sends an unacknowledged window again, from the follower's
 * match index on, because it is known or presumed lost. Never called for a
 * window that may still arrive.
 */
export function resendWindow(
  r: CoreState,
  role: LeaderRole,
  to: PeerId,
  w: Inflight,
  fromMatch = false,
): void {
  const pr = role.progress[to]!;
  // The oldest window is resent from the match index, covering any gap before it.
  const prev = fromMatch ? pr.match : Math.max(w.first - 1, pr.match);
  const last = Math.min(w.last, prev + r.config.maxEntriesPerAppend);
  if (!sendEntries(r, role, to, prev, last)) {
    sendSnapshot(r, role, to);
    return;
  }
  w.sentAt = r.now;
  r.trace('resend-window', { to, first: prev + 1, last });
}

/**
 * An empty AppendEntries that carries the commit index and the read round.
 * Anchored at the follower's match index when known (replicate, snapshot), so
 * it never fails the log check merely because newer entries are in flight.
 */
export function sendHeartbeat(r: CoreState, role: LeaderRole, to: PeerId): void {
  const pr = role.progress[to]!;
  let prev = pr.state.kind === 'probe' ? pr.next - 1 : pr.match;
  if (r.log.term(prev) === undefined) prev = r.log.snapshotIndex;
  sendEntries(r, role, to, prev, prev);
}

/** Whether `to` could learn a newer commit index from a heartbeat anchored at its match index. */
export function commitNews(r: CoreState, role: LeaderRole, to: PeerId): boolean {
  const pr = role.progress[to]!;
  return pr.state.kind === 'replicate' && Math.min(r.commitIndex, pr.match) > pr.commitSent;
}

/** Sends whatever `to` can take now (entries not yet sent, within its window). Returns whether anything was sent. */
export function sendMore(r: CoreState, role: LeaderRole, to: PeerId): boolean {
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

/** Whether a follower last heard from at `lastHeard` has been silent for a minimum election timeout. */
export function silent(r: CoreState, lastHeard: number): boolean {
  return r.now - lastHeard >= r.config.electionTimeoutMinMs;
}

/**
 * Replicate state: sends the oldest window again when it looks lost (older
 * than staleAppendMs). A follower silent for a whole minimum election timeout
 * is probed instead, with an empty AppendEntries per heartbeat until it
 * answers. Returns whether anything was sent.
 */
export function resendStale(r: CoreState, role: LeaderRole, to: PeerId): boolean {
  const pr = role.progress[to]!;
  const stale = pr.staleWindow(r.now, r.config.staleAppendMs);
  if (stale === undefined) return false;
  if (silent(r, pr.lastHeard)) {
    pr.becomeProbe();
    sendHeartbeat(r, role, to); // an empty probe: entries follow its answer
    if (pr.state.kind === 'probe') pr.state.probeSent = true;
  } else {
    resendWindow(r, role, to, stale, true);
  }
  return true;
}
