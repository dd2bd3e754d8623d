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

/** One RPC a peer sends, as the core describes it. */
export type RaftRequest =
  | { type: 'RequestVote'; args: RequestVoteArgs }
  | { type: 'PreVote'; args: RequestVoteArgs }
  | { type: 'AppendEntries'; args: AppendEntriesArgs }
  | { type: 'InstallSnapshot'; args: InstallSnapshotArgs };

export type RaftReplyFor<R extends RaftRequest['type']> = R extends 'AppendEntries'
  ? AppendEntriesReply
  : R extends 'InstallSnapshot'
    ? InstallSnapshotReply
    : RequestVoteReply;

export type RaftReply = RequestVoteReply | AppendEntriesReply | InstallSnapshotReply;

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
  | { kind: 'snapshot'; index: number; term: number; snapshot: Uint8Array };

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

/** Why a ReadIndex request failed. The caller may retry (possibly on another peer). */
export type ReadIndexFailure =
  | 'not-leader'
  /** The leader has not yet committed an entry of its own term; propose a no-op and retry. */
  | 'leader-not-ready'
  /** No majority confirmed leadership in time. */
  | 'timeout'
  | 'killed';

export type ReadIndexResult = { ok: true; index: number } | { ok: false; reason: ReadIndexFailure };
