import { defineService, type RpcServer, type ServiceHandlers } from '@raftkit/core';
import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  InstallSnapshotArgs,
  InstallSnapshotReply,
  RequestVoteArgs,
  RequestVoteReply,
  TimeoutNowArgs,
  TimeoutNowReply,
} from '../types.js';

/** The "Raft" RPC service every peer registers (PreVote is used only with the preVote option, TimeoutNow only by leader transfer). */
export type RaftMethods = {
  RequestVote: { args: RequestVoteArgs; reply: RequestVoteReply };
  PreVote: { args: RequestVoteArgs; reply: RequestVoteReply };
  AppendEntries: { args: AppendEntriesArgs; reply: AppendEntriesReply };
  InstallSnapshot: { args: InstallSnapshotArgs; reply: InstallSnapshotReply };
  TimeoutNow: { args: TimeoutNowArgs; reply: TimeoutNowReply };
};

export const raftService = defineService<RaftMethods>()('Raft', [
  'RequestVote',
  'PreVote',
  'AppendEntries',
  'InstallSnapshot',
  'TimeoutNow',
]);

/** Registers `peer`'s "Raft" service on `server` (one server may also carry the service built on Raft). */
export function registerRaft(
  server: RpcServer,
  peer: { readonly handlers: ServiceHandlers<RaftMethods> },
): void {
  server.addService(raftService, peer.handlers);
}
