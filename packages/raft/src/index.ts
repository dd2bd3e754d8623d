export { type RaftConfig, defaultRaftConfig, validateConfig } from './config.js';
export { committedIndex, hasQuorum, majority, type VoteResult, voteResult } from './core/quorum.js';
export {
  type CoreInput,
  RaftCore,
  type RaftCoreOptions,
  type Ready,
  type TransferRefusal,
} from './core/raft-core.js';
export { PeerKilledError } from './errors/peer-killed-error.js';
export { ReadIndexDisabledError } from './errors/read-index-disabled-error.js';
export { SnapshotIndexError } from './errors/snapshot-index-error.js';
export type { RaftPeerOptions, StateChange } from './node/options.js';
export { createRaftPeer, RaftPeer } from './node/raft-peer.js';
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
  RaftStatus,
  ReadIndexFailure,
  ReadIndexResult,
  RequestVoteArgs,
  RequestVoteReply,
  RoleKind,
  SoftState,
  StartResult,
  TimeoutNowArgs,
  TimeoutNowReply,
  TransferResult,
} from './types.js';
