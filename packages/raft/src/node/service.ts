import { defineService, type RpcServer } from '@raftkit/core';
import type {
  AppendEntriesArgs,
  AppendEntriesReply,
  InstallSnapshotArgs,
  InstallSnapshotReply,
  RequestVoteArgs,
  RequestVoteReply,
} from '../types.js';
import type { RaftPeer } from './raft-peer.js';

/** The "Raft" RPC service every peer registers (PreVote is used only with the preVote option). */
export type RaftMethods = {
  RequestVote: { args: RequestVoteArgs; reply: RequestVoteReply };
  PreVote: { args: RequestVoteArgs; reply: RequestVoteReply };
  AppendEntries: { args: AppendEntriesArgs; reply: AppendEntriesReply };
  InstallSnapshot: { args: InstallSnapshotArgs; reply: InstallSnapshotReply };
};

export const raftService = defineService<RaftMethods>()('Raft', [
  'RequestVote',
  'PreVote',
  'AppendEntries',
  'InstallSnapshot',
]);

/** Registers `peer`'s "Raft" service on `server` (one server may also carry the service built on Raft). */
export function registerRaft(server: RpcServer, peer: Pick<RaftPeer, 'handlers'>): void {
  server.addService(raftService, peer.handlers);
}
