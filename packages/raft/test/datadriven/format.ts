import type { PersistBatch } from '@raftkit/core';
import type { ApplyMsg, RaftReply, RaftRequest } from '../../src/index.js';

/** Scripts name peers 1..n; the core's ids are 0..n-1. */
export const name = (id: number): number => id + 1;

function entries(first: number, list: readonly { term: number; command: unknown }[]): string {
  return `[${list.map((e, i) => `${first + i}@${e.term}${cmd(e.command)}`).join(' ')}]`;
}

function cmd(command: unknown): string {
  if (typeof command === 'object' && command !== null && '@raftkit/noop' in command) return ':noop';
  return command === undefined ? '' : `:${String(command)}`;
}

/** One request, as a script shows it. */
export function formatRequest(req: RaftRequest): string {
  switch (req.type) {
    case 'RequestVote':
    case 'PreVote': {
      const a = req.args;
      return `${req.type} term=${a.term} last=${a.lastLogIndex}@${a.lastLogTerm}${a.transfer ? ' transfer' : ''}`;
    }
    case 'AppendEntries': {
      const a = req.args;
      return `AppendEntries term=${a.term} prev=${a.prevLogIndex}@${a.prevLogTerm} entries=${entries(a.prevLogIndex + 1, a.entries)} commit=${a.leaderCommit}`;
    }
    case 'InstallSnapshot': {
      const a = req.args;
      return `InstallSnapshot term=${a.term} snap=${a.lastIncludedIndex}@${a.lastIncludedTerm}`;
    }
    case 'TimeoutNow':
      return `TimeoutNow term=${req.args.term}`;
  }
}

/** One reply to `req`. */
export function formatReply(req: RaftRequest, reply: RaftReply): string {
  const head = `${req.type} reply term=${reply.term}`;
  if ('voteGranted' in reply) return `${head} ${reply.voteGranted ? 'granted' : 'rejected'}`;
  if ('success' in reply) {
    if (reply.success) return `${head} ok match=${reply.matchIndex}`;
    if (reply.term > req.args.term) return `${head} reject (stale term)`;
    return `${head} reject hint=${reply.conflictIndex}${reply.conflictTerm === -1 ? ' (too short)' : `@${reply.conflictTerm}`}`;
  }
  return head;
}

export function formatPersist(b: PersistBatch): string {
  const parts: string[] = [];
  if (b.snapshot) parts.push(`snapshot ${b.snapshot.meta.index}@${b.snapshot.meta.term}`);
  if (b.truncateFrom !== undefined) parts.push(`truncate ${b.truncateFrom}..`);
  if (b.append) parts.push(`append ${entries(b.append.firstIndex, b.append.entries)}`);
  if (b.hardState)
    parts.push(
      `term=${b.hardState.term} vote=${b.hardState.votedFor === -1 ? '-' : name(b.hardState.votedFor)}`,
    );
  return parts.join('; ');
}

export function formatApply(m: ApplyMsg): string {
  switch (m.kind) {
    case 'command':
      return `apply ${m.index}@${m.term}${cmd(m.command)}`;
    case 'noop':
      return `apply ${m.index}@${m.term}:noop`;
    case 'snapshot':
      return `apply snapshot ${m.index}@${m.term}`;
  }
}
