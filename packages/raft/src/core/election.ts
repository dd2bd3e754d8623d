import type { PeerId, RequestVoteArgs, RequestVoteReply } from '../types.js';
import { Progress } from './progress.js';
import { voteResult } from './quorum.js';
import type { RaftCore } from './raft-core.js';
import { failReads } from './read-index.js';
import { broadcastHeartbeat } from './step-leader.js';
import { testBug } from './test-bugs.js';

/**
 * Draws the next election deadline from the injected rng: now + rand(min..max)
 * ms, stretched by one range per campaign that failed since a leader was last
 * heard from (capped at 4×). Backing off lets votes whose replies the network
 * delays arrive before the candidate gives up on its term, and desynchronises
 * duelling candidates; hearing from a leader resets it.
 */
export function resetElectionTimer(r: RaftCore): void {
  const { electionTimeoutMinMs: min, electionTimeoutMaxMs: max } = r.config;
  const stretch = Math.min(r.failedCampaigns, 3) * (max - min);
  r.electionDeadline = r.now + r.rng.int(min, max + stretch);
}

/** Any role → follower in `term` (≥ current term). A higher term clears the vote. */
export function becomeFollower(r: RaftCore, term: number, leader: PeerId): void {
  const from = r.role.kind;
  if (term > r.term) r.setHardState(term, -1);
  if (from === 'leader') failReads(r, 'not-leader');
  r.role = { kind: 'follower', leader };
  // Figure 2 resets the timer only on hearing from a leader or granting a vote:
  // a (pre)candidate deposed by a higher term keeps its deadline, so a peer
  // that cannot win (stale log) does not also hold back the peers that can.
  if (from === 'leader') resetElectionTimer(r);
  if (from !== 'follower') r.trace('become-follower', { from, leader });
}

/** Election timeout: campaign, through a pre-vote when enabled. */
export function campaign(r: RaftCore): void {
  if (r.role.kind !== 'follower' || r.role.leader === -1) r.failedCampaigns += 1;
  if (r.config.preVote) becomePreCandidate(r);
  else becomeCandidate(r);
}

function voteArgs(r: RaftCore, term: number): RequestVoteArgs {
  return {
    term,
    candidateId: r.id,
    lastLogIndex: r.log.lastIndex(),
    lastLogTerm: r.log.lastTerm(),
  };
}

/** follower → precandidate: ask whether a campaign in term+1 could win, without changing the term. */
export function becomePreCandidate(r: RaftCore): void {
  r.role = { kind: 'precandidate', granted: new Set([r.id]), rejected: new Set() };
  resetElectionTimer(r);
  r.trace('become-precandidate');
  const args = voteArgs(r, r.term + 1);
  for (let i = 0; i < r.n; i++) if (i !== r.id) r.send(i, { type: 'PreVote', args });
  checkVotes(r);
}

/** → candidate: new term, vote for self, ask everyone. */
export function becomeCandidate(r: RaftCore): void {
  r.setHardState(r.term + 1, r.id);
  r.role = { kind: 'candidate', granted: new Set([r.id]), rejected: new Set() };
  resetElectionTimer(r);
  r.trace('become-candidate');
  const args = voteArgs(r, r.term);
  for (let i = 0; i < r.n; i++) if (i !== r.id) r.send(i, { type: 'RequestVote', args });
  checkVotes(r);
}

/** candidate → leader: every follower starts in probe at the leader's last index + 1. */
export function becomeLeader(r: RaftCore): void {
  const next = r.log.lastIndex() + 1;
  const progress = Array.from({ length: r.n }, () => new Progress(next));
  const self = progress[r.id]!;
  self.match = r.log.lastIndex();
  self.becomeReplicate();
  r.failedCampaigns = 0;
  r.role = {
    kind: 'leader',
    progress,
    committedInTerm: false,
    pendingBroadcast: false,
    commitDirty: false,
    round: 0,
    heartbeatDue: r.now + r.config.heartbeatIntervalMs,
    quorumCheckDue: r.now + r.config.electionTimeoutMaxMs,
  };
  r.trace('become-leader', { lastIndex: r.log.lastIndex() });
  broadcastHeartbeat(r, r.role);
}

/** Counts the votes of the current (pre)campaign and moves on when decided. */
export function checkVotes(r: RaftCore): void {
  const role = r.role;
  if (role.kind !== 'candidate' && role.kind !== 'precandidate') return;
  const result = voteResult(r.n, role.granted.size, role.rejected.size);
  if (result === 'won') {
    if (role.kind === 'precandidate') becomeCandidate(r);
    else becomeLeader(r);
  } else if (result === 'lost' && role.kind === 'precandidate') {
    becomeFollower(r, r.term, -1);
  }
}

/**
 * RequestVote and PreVote receivers (Figure 2; thesis §9.6 and §4.2.3).
 * A PreVote never changes this peer's state. With CheckQuorum, a RequestVote
 * that arrives while this peer is in a leader's lease is ignored without
 * adopting its term, so a rejoining peer cannot depose a healthy leader.
 */
export function handleVoteRequest(
  r: RaftCore,
  args: RequestVoteArgs,
  preVote: boolean,
): RequestVoteReply {
  const upToDate =
    r.log.isUpToDate(args.lastLogIndex, args.lastLogTerm) || testBug === 'vote-without-log-check';
  if (preVote) {
    const grant = args.term > r.term && upToDate && !r.inLeaderLease();
    return { term: r.term, voteGranted: grant };
  }
  if (args.term > r.term && r.config.checkQuorum && r.inLeaderLease()) {
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
