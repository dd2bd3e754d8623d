import type { PeerId } from '../types.js';
import type { LeaderRole } from './role.js';
import { sendMore } from './send.js';
import type { CoreState } from './state.js';

/**
 * Leader transfer (thesis §3.10), leader side: while a transfer is under way
 * the leader refuses proposals, brings the target's log up to date, then
 * sends it TimeoutNow; the transfer is abandoned after an election timeout.
 */

/** Starts moving leadership to `to`. The caller checked that this peer leads and `to` is another peer. */
export function startTransfer(r: CoreState, role: LeaderRole, to: PeerId): void {
  role.transfer = { to, deadline: r.now + r.config.electionTimeoutMaxMs, timeoutSent: false };
  r.trace('transfer-start', { to });
  // Bring the target up to date now, not at the next heartbeat: a probe goes out at once.
  const pr = role.progress[to]!;
  if (pr.state.kind === 'probe') pr.state.probeSent = false;
  sendMore(r, role, to);
  maybeSendTimeoutNow(r, role);
}

/** Sends TimeoutNow once the target holds the leader's whole log. */
export function maybeSendTimeoutNow(r: CoreState, role: LeaderRole): void {
  const t = role.transfer;
  if (t === undefined || t.timeoutSent) return;
  if (role.progress[t.to]!.match !== r.log.lastIndex()) return;
  t.timeoutSent = true;
  r.send(t.to, { type: 'TimeoutNow', args: { term: r.term, leaderId: r.id } });
  r.trace('transfer-timeout-now', { to: t.to });
}

/** Abandons a transfer whose deadline passed; the leader accepts proposals again. */
export function expireTransfer(r: CoreState, role: LeaderRole): void {
  if (role.transfer !== undefined && r.now >= role.transfer.deadline) {
    r.trace('transfer-abort', { to: role.transfer.to });
    role.transfer = undefined;
  }
}
