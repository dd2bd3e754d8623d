import { hasQuorum } from './quorum.js';
import { sendHeartbeat } from './send.js';
import type { CoreState } from './state.js';

/**
 * Starts a ReadIndex request (thesis §6.4): a leader that has committed an
 * entry of its term records its commit index and confirms its leadership with
 * a heartbeat round; the result appears in `Ready.reads` under `id`.
 */
export function requestRead(r: CoreState, id: number): void {
  const role = r.role;
  if (role.kind !== 'leader') {
    r.reads.answer(id, { ok: false, reason: 'not-leader' });
    return;
  }
  if (!role.committedInTerm) {
    r.reads.answer(id, { ok: false, reason: 'leader-not-ready' });
    return;
  }
  role.round += 1;
  r.reads.add({ id, index: r.commitIndex, round: role.round, acks: new Set([r.id]) });
  if (hasQuorum(r.n, 1)) return;
  for (let i = 0; i < r.n; i++) if (i !== r.id) sendHeartbeat(r, role, i);
}
