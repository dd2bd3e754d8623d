import type { AppendEntriesReply, InstallSnapshotReply, RaftReply, RaftRequest } from '../types.js';
import { onAppendReply, onSnapshotReply, onUnreachable } from './append-reply.js';
import { becomeFollower } from './become.js';
import { broadcastHeartbeat, quorumActive } from './broadcast.js';
import type { CoreInput } from './input.js';
import { receiveRequest } from './receive.js';
import { refusal } from './refusal.js';
import type { LeaderRole } from './role.js';
import type { CoreState } from './state.js';
import { expireTransfer } from './transfer.js';

/**
 * Leader: heartbeats, CheckQuorum and the transfer deadline on ticks; the
 * replies of its AppendEntries and InstallSnapshot; lost calls. Requests of a
 * higher term depose it (through the receivers).
 */
export function stepLeader(r: CoreState, input: CoreInput): RaftReply | undefined {
  const role = r.role as LeaderRole;
  switch (input.type) {
    case 'tick':
      tickLeader(r, role);
      return undefined;
    case 'request':
      return receiveAsLeader(r, input.req);
    case 'unreachable':
      onUnreachable(r, role, input.to, input.req);
      return undefined;
    case 'reply': {
      const { from, req, reply } = input;
      if (reply.term > r.term) {
        becomeFollower(r, reply.term, -1);
        return undefined;
      }
      if (req.args.term !== r.term) return undefined; // a reply to an earlier term's request
      if (req.type === 'AppendEntries')
        onAppendReply(r, role, from, req.args, reply as AppendEntriesReply);
      else if (req.type === 'InstallSnapshot')
        onSnapshotReply(r, role, from, req.args.lastIncludedIndex, reply as InstallSnapshotReply);
      return undefined;
    }
  }
}

function tickLeader(r: CoreState, role: LeaderRole): void {
  expireTransfer(r, role);
  if (r.config.checkQuorum && r.now >= role.quorumCheckDue) {
    role.quorumCheckDue = r.now + r.config.electionTimeoutMaxMs;
    if (!quorumActive(r, role)) {
      r.trace('step-down', { reason: 'check-quorum' });
      becomeFollower(r, r.term, -1);
      return;
    }
  }
  if (r.now >= role.heartbeatDue) broadcastHeartbeat(r, role);
}

/**
 * Another leader's AppendEntries, InstallSnapshot or TimeoutNow in this very
 * term would mean two leaders in one term (a safety violation, e.g. two peers
 * configured with the same id): refused and logged, never obeyed.
 */
function receiveAsLeader(r: CoreState, req: RaftRequest): RaftReply {
  if (req.type !== 'RequestVote' && req.type !== 'PreVote' && req.args.term === r.term) {
    r.trace('second-leader', { from: req.args.leaderId, type: req.type });
    return refusal(req, r.term);
  }
  return receiveRequest(r, req);
}
