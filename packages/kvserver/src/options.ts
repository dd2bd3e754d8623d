import type { ClientEnd, Clock, Logger, RaftStorage, Rng } from '@raftkit/core';
import { InvalidArgumentError } from '@raftkit/core';
import type { KvMember } from '@raftkit/kv-protocol';
import type { RaftConfig } from '@raftkit/raft';
import { membersProblem } from './members.js';

export interface KvServerOptions {
  /** Ends to every server of the group, including this one; the same order on every server. */
  peers: readonly ClientEnd[];
  /** This server's index in `peers`. */
  me: number;
  persister: RaftStorage;
  /** Snapshot when the persisted Raft state nears this many bytes; -1 never snapshots. */
  maxRaftState: number;
  clock: Clock;
  rng: Rng;
  logger?: Logger;
  /**
   * How reads are served: 'read-index' (default) confirms leadership with a
   * heartbeat round and reads once the state machine reaches the commit
   * index, without a log write; 'log' puts every read in the log, as the lab does.
   */
  getMode?: 'read-index' | 'log';
  /** A request that has not committed after this many ms answers ErrTimeout. Default 1000. */
  requestTimeoutMs?: number;
  /** Longest key accepted, in bytes. Default 4096. */
  maxKeyBytes?: number;
  /** Longest value accepted, in bytes. Default 1 048 576. */
  maxValueBytes?: number;
  /**
   * Past revisions kept readable besides the current one (reads older than
   * that answer ErrCompacted). Default 0: only the current revision, so
   * memory and snapshots hold the live store only. An explicit compaction
   * can only move the oldest readable revision forward.
   */
  retainRevisions?: number;
  /** The members reported by the status and member list (one per peer). Default: ids 1..n. */
  members?: readonly KvMember[];
  /** Raft tunables; ReadIndex is always enabled. */
  raft?: Partial<RaftConfig>;
}

function bad(argument: string, message: string): never {
  throw new InvalidArgumentError({ argument, message });
}

function positiveInt(value: unknown, argument: string, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max)
    bad(argument, `${argument} must be an integer in 1..${max}, got ${String(value)}`);
}

export function validateOptions(options: KvServerOptions): void {
  if (!Array.isArray(options.peers) || options.peers.length === 0)
    bad('peers', 'peers must be a non-empty array of client ends');
  if (!Number.isInteger(options.me) || options.me < 0 || options.me >= options.peers.length)
    bad('me', `me must be an index into peers (0..${options.peers.length - 1}), got ${options.me}`);
  if (
    !Number.isInteger(options.maxRaftState) ||
    (options.maxRaftState < 1 && options.maxRaftState !== -1)
  ) {
    bad(
      'maxRaftState',
      `maxRaftState must be a positive number of bytes or -1 (never snapshot), got ${options.maxRaftState}`,
    );
  }
  if (
    options.getMode !== undefined &&
    options.getMode !== 'read-index' &&
    options.getMode !== 'log'
  ) {
    bad('getMode', `getMode must be 'read-index' or 'log', got ${String(options.getMode)}`);
  }
  if (options.requestTimeoutMs !== undefined && !(options.requestTimeoutMs > 0))
    bad('requestTimeoutMs', 'requestTimeoutMs must be > 0');
  positiveInt(options.maxKeyBytes, 'maxKeyBytes', 1 << 20);
  positiveInt(options.maxValueBytes, 'maxValueBytes', 1 << 30);
  const retain = options.retainRevisions;
  if (retain !== undefined && (!Number.isSafeInteger(retain) || retain < 0))
    bad('retainRevisions', `retainRevisions must be an integer ≥ 0, got ${String(retain)}`);
  if (options.members !== undefined) {
    const problem = membersProblem(options.members, options.peers.length);
    if (problem !== undefined) bad('members', problem);
  }
}
