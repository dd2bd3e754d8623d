import type { PeerId, RequestVoteArgs } from '../types.js';
import { resetElectionTimer } from './election-timer.js';
import { NOOP_COMMAND } from './noop.js';
import { Progress } from './progress.js';
import { voteResult } from './quorum.js';
import type { CoreState } from './state.js';

/**
 * Role transitions (Figure 2 "Rules for Servers"). Each function changes the
 * role and what goes with it (term, vote, timers, progress) and may ask for
 * votes; none sends AppendEntries: a new leader's first heartbeat is due at
 * once and goes out when the current input finishes (see RaftCore).
 */

/** Any role → follower in `term` (≥ current term). A higher term clears the vote. */
export function becomeFollower(r: CoreState, term: number, leader: PeerId): void {
  const from = r.role.kind;
  if (term > r.term) r.setHardState(term, -1);
  if (from === 'leader') r.reads.failAll('not-leader');
  r.role = { kind: 'follower', leader };
  // Figure 2 resets the timer only on hearing from a leader or granting a vote:
  // a (pre)candidate deposed by a higher term keeps its deadline, so a peer
  // that cannot win (stale log) does not also hold back the peers that can.
  if (from === 'leader') resetElectionTimer(r);
  if (from !== 'follower') r.trace('become-follower', { from, leader });
}

/** A request from the leader of `term` (≥ ours): follow it and restart the election timer. */
export function acceptLeader(r: CoreState, term: number, leader: PeerId): void {
  if (term > r.term || r.role.kind !== 'follower') becomeFollower(r, term, leader);
  if (r.role.kind === 'follower') r.role.leader = leader;
  r.lastLeaderContact = r.now;
  r.failedCampaigns = 0;
  resetElectionTimer(r);
}

/**
 * Election timeout: campaign, through a pre-vote when enabled. A campaign
 * ordered by the leader (TimeoutNow) skips the pre-vote and asks voters to
 * ignore the leader's lease.
 */
export function campaign(r: CoreState, transfer = false): void {
  if (r.role.kind !== 'follower' || r.role.leader === -1) r.failedCampaigns += 1;
  if (r.config.preVote && !transfer) becomePreCandidate(r);
  else becomeCandidate(r, transfer);
}

function voteArgs(r: CoreState, term: number, transfer: boolean): RequestVoteArgs {
  const args: RequestVoteArgs = {
    term,
    candidateId: r.id,
    lastLogIndex: r.log.lastIndex(),
    lastLogTerm: r.log.lastTerm(),
  };
  if (transfer) args.transfer = true;
  return args;
}

/** follower → precandidate: ask whether a campaign in term+1 could win, without changing the term. */
export function becomePreCandidate(r: CoreState): void {
  r.role = { kind: 'precandidate', granted: new Set([r.id]), rejected: new Set() };
  resetElectionTimer(r);
  r.trace('become-precandidate');
  const args = voteArgs(r, r.term + 1, false);
  for (let i = 0; i < r.n; i++) if (i !== r.id) r.send(i, { type: 'PreVote', args });
  checkVotes(r);
}

/** → candidate: new term, vote for self, ask everyone. */
export function becomeCandidate(r: CoreState, transfer = false): void {
  r.setHardState(r.term + 1, r.id);
  r.role = { kind: 'candidate', granted: new Set([r.id]), rejected: new Set() };
  resetElectionTimer(r);
  r.trace('become-candidate', transfer ? { transfer } : undefined);
  const args = voteArgs(r, r.term, transfer);
  for (let i = 0; i < r.n; i++) if (i !== r.id) r.send(i, { type: 'RequestVote', args });
  checkVotes(r);
}

/**
 * candidate → leader: every follower starts in probe at the leader's last
 * index + 1; the first heartbeat is due now. With `noopOnElection`, an empty
 * entry of the new term is appended, so that earlier terms' entries commit
 * without waiting for a proposal (§5.4.2).
 */
export function becomeLeader(r: CoreState): void {
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
    heartbeatDue: r.now,
    quorumCheckDue: r.now + r.config.electionTimeoutMaxMs,
    transfer: undefined,
  };
  r.trace('become-leader', { lastIndex: r.log.lastIndex() });
  if (r.config.noopOnElection) {
    const entry = { term: r.term, command: NOOP_COMMAND };
    r.log.append([entry]);
    r.persistQueue.append(next, [entry]);
  }
}

/** Counts the votes of the current (pre)campaign and moves on when decided. */
export function checkVotes(r: CoreState): void {
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
