import type { PeerId } from '../types.js';
import type { Progress } from './progress.js';

/**
 * A peer's role. Transitions (each a `become*` function in become.ts):
 *   follower → precandidate (election timeout, preVote on)
 *   follower → candidate (election timeout, preVote off)
 *   precandidate → candidate (won the pre-vote)
 *   candidate → candidate (election timeout: a new term)
 *   candidate → leader (won the vote)
 *   any → follower (a higher term, a current leader, or lost quorum)
 */
export type Role = FollowerRole | PreCandidateRole | CandidateRole | LeaderRole;

export interface FollowerRole {
  kind: 'follower';
  /** The leader of the current term, once heard from; -1 until then. */
  leader: PeerId;
}

export interface PreCandidateRole {
  kind: 'precandidate';
  granted: Set<PeerId>;
  rejected: Set<PeerId>;
}

export interface CandidateRole {
  kind: 'candidate';
  granted: Set<PeerId>;
  rejected: Set<PeerId>;
}

export interface LeaderRole {
  kind: 'leader';
  /** progress[i] for every peer; progress[me] tracks the leader's own persisted log. */
  progress: Progress[];
  /** Whether an entry of this term has been committed (ReadIndex precondition, thesis §6.4). */
  committedInTerm: boolean;
  /** Entries were proposed and not yet offered to followers. */
  pendingBroadcast: boolean;
  /** The commit index moved; followers should hear about it. */
  commitDirty: boolean;
  /** The current leadership-confirmation round; heartbeats carry it (ReadIndex). */
  round: number;
  /** Due time (ms) of the next heartbeat round. */
  heartbeatDue: number;
  /** Due time (ms) of the next CheckQuorum evaluation. */
  quorumCheckDue: number;
  /**
   * Leader transfer in progress (thesis §3.10): the target, and the time (ms)
   * after which the transfer is abandoned. While set, proposals are refused.
   */
  transfer: { to: PeerId; deadline: number; timeoutSent: boolean } | undefined;
}
