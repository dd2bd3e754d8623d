import { hasQuorum } from './quorum.js';
import type { LeaderRole } from './role.js';
import { commitNews, resendStale, sendAppend, sendHeartbeat, sendMore, silent } from './send.js';
import type { CoreState } from './state.js';

/**
 * One heartbeat round. Probing followers get a fresh probe (with entries, or
 * empty while the follower has been silent for a minimum election timeout);
 * a follower whose oldest window looks lost gets it again; a snapshot is
 * resent when unanswered for long; everyone else gets an empty heartbeat.
 */
export function broadcastHeartbeat(r: CoreState, role: LeaderRole): void {
  role.heartbeatDue = r.now + r.config.heartbeatIntervalMs;
  for (let i = 0; i < r.n; i++) {
    if (i === r.id) continue;
    const pr = role.progress[i]!;
    if (pr.state.kind === 'probe') {
      if (silent(r, pr.lastHeard)) {
        // Entries go again only once it answers: a one-way cut that eats every reply would
        // otherwise get the same batch every heartbeat (up to maxEntriesPerAppend each time).
        sendHeartbeat(r, role, i);
        pr.state.probeSent = true;
      } else {
        pr.state.probeSent = false;
        sendAppend(r, role, i);
      }
    } else if (resendStale(r, role, i)) {
      // the resent window carries the commit index
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
export function broadcastPending(r: CoreState, role: LeaderRole): void {
  if (!role.pendingBroadcast && !role.commitDirty) return;
  for (let i = 0; i < r.n; i++) {
    if (i === r.id) continue;
    const sent = sendMore(r, role, i);
    if (!sent && commitNews(r, role, i)) sendHeartbeat(r, role, i);
  }
  role.pendingBroadcast = false;
  role.commitDirty = false;
}

/**
 * CheckQuorum (thesis §6.2): whether a majority was heard from since the last
 * check. Clears the marks for the next round.
 */
export function quorumActive(r: CoreState, role: LeaderRole): boolean {
  let active = 1;
  for (let i = 0; i < r.n; i++) {
    if (i === r.id) continue;
    if (role.progress[i]!.recentActive) active += 1;
    role.progress[i]!.recentActive = false;
  }
  return hasQuorum(r.n, active);
}
