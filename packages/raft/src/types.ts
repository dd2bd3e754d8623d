import type { LogEntry } from '@raftkit/core';

/** A peer's index in the `peers` array; the same on every peer. */
export type PeerId = number;

/** RequestVote and PreVote arguments (Figure 2; PreVote per thesis §9.6). */
export interface RequestVoteArgs {
  /** The candidate's term; for a PreVote, the term it would campaign in. */
  term: number;
  candidateId: PeerId;
  lastLogIndex: number;
  lastLogTerm: number;
  /**
   * Set on a campaign started by TimeoutNow (leader transfer, thesis §3.10):
   * voters then grant despite a current leader's lease (CheckQuorum).
   */
  transfer?: boolean;
}

export interface RequestVoteReply {
  term: number;
  voteGranted: boolean;
}

export interface AppendEntriesArgs {
  term: number;
  leaderId: PeerId;
  prevLogIndex: number;
  prevLogTerm: number;
  /** entries[i] is at index prevLogIndex + 1 + i. Empty for a heartbeat. */
  entries: LogEntry[];
  leaderCommit: number;
  /** Leadership-confirmation round, echoed in the reply (ReadIndex). */
  round: number;
}

export interface AppendEntriesReply {
  term: number;
  success: boolean;
  /** On success: the follower's log matches the leader's up to this index. */
  matchIndex: number;
  /**
   * On rejection (accelerated backup): the follower's log is too short when
   * `conflictTerm` is -1 and `conflictIndex` is its last index + 1; otherwise
   * `conflictTerm` is the term at prevLogIndex and `conflictIndex` the first
   * index of that term in the follower's log.
   */
  conflictIndex: number;
  conflictTerm: number;
  round: number;
}

export interface InstallSnapshotArgs {
  term: number;
  leaderId: PeerId;
  lastIncludedIndex: number;
  lastIncludedTerm: number;
  data: Uint8Array;
  round: number;
}

export interface InstallSnapshotReply {
  term: number;
  round: number;
}

/** Leader transfer (thesis §3.10): the leader tells an up-to-date follower to campaign at once. */
export interface TimeoutNowArgs {
  term: number;
  leaderId: PeerId;
}

export interface TimeoutNowReply {
  term: number;
}

/** One RPC a peer sends, as the core describes it. */
export type RaftRequest =
  | { type: 'RequestVote'; args: RequestVoteArgs }
  | { type: 'PreVote'; args: RequestVoteArgs }
  | { type: 'AppendEntries'; args: AppendEntriesArgs }
  | { type: 'InstallSnapshot'; args: InstallSnapshotArgs }
  | { type: 'TimeoutNow'; args: TimeoutNowArgs };

export type RaftReplyFor<R extends RaftRequest['type']> = R extends 'AppendEntries'
  ? AppendEntriesReply
  : R extends 'InstallSnapshot'
    ? InstallSnapshotReply
    : R extends 'TimeoutNow'
      ? TimeoutNowReply
      : RequestVoteReply;

export type RaftReply =
  | RequestVoteReply
  | AppendEntriesReply
  | InstallSnapshotReply
  | TimeoutNowReply;

/** The peer a request claims to come from. */
export function senderOf(req: RaftRequest): PeerId {
  return 'candidateId' in req.args ? req.args.candidateId : req.args.leaderId;
}

/** A request the core wants sent to peer `to`. */
export interface OutMessage {
  to: PeerId;
  req: RaftRequest;
}

/**
 * What the service receives, in index order: a committed command, or a
 * snapshot that replaces everything up to and including `index`.
 */
export type ApplyMsg<Command = unknown> =
  | { kind: 'command'; index: number; term: number; command: Command }
  | { kind: 'snapshot'; index: number; term: number; snapshot: Uint8Array }
  /** The empty entry a new leader appends with `noopOnElection` (never otherwise). */
  | { kind: 'noop'; index: number; term: number };

/** A peer's role. */
export type RoleKind = 'follower' | 'precandidate' | 'candidate' | 'leader';

/**
 * Volatile state an observer may follow (etcd's SoftState, plus the term):
 * reported in `Ready.softState` whenever any field changed.
 */
export interface SoftState {
  role: RoleKind;
  /** The leader this peer knows for `term` (itself when leader), -1 when none. */
  leader: PeerId;
  term: number;
}

/** A read-only view of a peer's protocol state, for tests, metrics and debugging. */
export interface RaftStatus extends SoftState {
  commitIndex: number;
  /** Highest index handed to the apply sink (by the node) or to `Ready.apply` (by the core). */
  lastApplied: number;
  lastIndex: number;
  lastTerm: number;
  snapshotIndex: number;
  votedFor: PeerId;
  /** The peer a leader is transferring leadership to, -1 when none. */
  transferee: PeerId;
}

/** `start()`'s answer, given at once. */
export interface StartResult {
  /** The index the command will have if it is ever committed. -1 when not leader. */
  index: number;
  term: number;
  isLeader: boolean;
}

export interface RaftState {
  term: number;
  isLeader: boolean;
}

/** How a `transferLeadership()` call ended. */
export type TransferResult =
  | { ok: true; term: number }
  | {
      ok: false;
      reason: 'not-leader' | 'invalid-target' | 'timeout' | 'superseded' | 'killed';
    };

/** Why a ReadIndex request failed. The caller may retry (possibly on another peer). */
export type ReadIndexFailure =
  | 'not-leader'
  /** The leader has not yet committed an entry of its own term; propose a no-op and retry. */
  | 'leader-not-ready'
  /** No majority confirmed leadership in time. */
  | 'timeout'
  | 'killed';

export type ReadIndexResult = { ok: true; index: number } | { ok: false; reason: ReadIndexFailure };
