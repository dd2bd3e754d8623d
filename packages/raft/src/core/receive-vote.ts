import type { PeerId, RaftRequest, RequestVoteArgs, RequestVoteReply } from '../types.js';
import { becomeFollower, checkVotes } from './become.js';
import { resetElectionTimer } from './election-timer.js';
import type { CoreState } from './state.js';
import { testBug } from './test-bugs.js';

/**
 * RequestVote and PreVote receivers (Figure 2; thesis §9.6 and §4.2.3).
 * Grants at most one vote per term, only to a candidate whose log is at least
 * as up-to-date; the vote is in this step's persist batch, which the node
 * saves before the reply leaves. A PreVote never changes this peer's state.
 * With CheckQuorum, a RequestVote that arrives while this peer is in a
 * leader's lease is ignored without adopting its term, so a rejoining peer
 * cannot depose a healthy leader; a campaign ordered by the leader
 * (`transfer`) is exempt.
 */
export function handleVoteRequest(
  r: CoreState,
  args: RequestVoteArgs,
  preVote: boolean,
): RequestVoteReply {
  const upToDate =
    r.log.isUpToDate(args.lastLogIndex, args.lastLogTerm) || testBug === 'vote-without-log-check';
  if (preVote) {
    const grant = args.term > r.term && upToDate && !r.inLeaderLease();
    r.trace(grant ? 'prevote' : 'prevote-denied', { for: args.candidateId });
    return { term: r.term, voteGranted: grant };
  }
  if (args.term > r.term && r.config.checkQuorum && r.inLeaderLease() && args.transfer !== true) {
    r.trace('vote-denied', { for: args.candidateId, reason: 'lease' });
    return { term: r.term, voteGranted: false };
  }
  if (args.term < r.term) return { term: r.term, voteGranted: false };
  if (args.term > r.term) becomeFollower(r, args.term, -1);
  const canVote = r.votedFor === -1 || r.votedFor === args.candidateId;
  if (canVote && upToDate) {
    r.setHardState(r.term, args.candidateId);
    resetElectionTimer(r);
    r.trace('vote', { for: args.candidateId });
    return { term: r.term, voteGranted: true };
  }
  r.trace('vote-denied', { for: args.candidateId, reason: canVote ? 'log' : 'voted' });
  return { term: r.term, voteGranted: false };
}

/** (Pre)candidate: counts a (pre)vote reply for the current campaign. */
export function onVoteReply(
  r: CoreState,
  from: PeerId,
  req: RaftRequest,
  reply: RequestVoteReply,
): void {
  const role = r.role;
  if (role.kind !== 'candidate' && role.kind !== 'precandidate') return;
  if (reply.term > r.term && !reply.voteGranted) {
    becomeFollower(r, reply.term, -1);
    return;
  }
  const current =
    (role.kind === 'candidate' && req.type === 'RequestVote' && req.args.term === r.term) ||
    (role.kind === 'precandidate' && req.type === 'PreVote' && req.args.term === r.term + 1);
  if (!current) return;
  if (reply.voteGranted) role.granted.add(from);
  else role.rejected.add(from);
  checkVotes(r);
}
