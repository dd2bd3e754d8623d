export { type RaftConfig, defaultRaftConfig, validateConfig } from './config.js';
export { RaftLog } from './core/log.js';
export { Progress, type ProgressState } from './core/progress.js';
export { committedIndex, hasQuorum, majority, type VoteResult, voteResult } from './core/quorum.js';
export { type CoreEvent, RaftCore, type RaftCoreOptions, type Ready } from './core/raft-core.js';
export type { Role } from './core/role.js';
export { PeerKilledError } from './errors/peer-killed-error.js';
export { ReadIndexDisabledError } from './errors/read-index-disabled-error.js';
export { SnapshotIndexError } from './errors/snapshot-index-error.js';
export { createRaftPeer, RaftPeer, type RaftPeerOptions } from './node/raft-peer.js';
export { type RaftMethods, raftService, registerRaft } from './node/service.js';
export type {
  AppendEntriesArgs,
  AppendEntriesReply,
  ApplyMsg,
  InstallSnapshotArgs,
  InstallSnapshotReply,
  OutMessage,
  PeerId,
  RaftReply,
  RaftRequest,
  RaftState,
  ReadIndexFailure,
  ReadIndexResult,
  RequestVoteArgs,
  RequestVoteReply,
  StartResult,
} from './types.js';
