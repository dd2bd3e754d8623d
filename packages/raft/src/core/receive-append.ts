import type { AppendEntriesArgs, AppendEntriesReply } from '../types.js';
import { acceptLeader } from './become.js';
import type { CoreState } from './state.js';

/**
 * AppendEntries receiver (Figure 2), with the conflict hints of the
 * accelerated backup: when the log is too short, `conflictTerm` is -1 and
 * `conflictIndex` the last index + 1; when the term at prevLogIndex differs,
 * `conflictTerm` is that term and `conflictIndex` the first index of its run.
 * Entries are appended only after the first conflicting index is truncated;
 * a committed entry is never truncated (that would be a safety violation).
 */
export function handleAppendEntries(r: CoreState, args: AppendEntriesArgs): AppendEntriesReply {
  const reply: AppendEntriesReply = {
    term: r.term,
    success: false,
    matchIndex: 0,
    conflictIndex: 0,
    conflictTerm: -1,
    round: args.round,
  };
  if (args.term < r.term) return reply;
  acceptLeader(r, args.term, args.leaderId);
  reply.term = r.term;

  let prev = args.prevLogIndex;
  let entries = args.entries;
  const log = r.log;
  if (prev < log.snapshotIndex) {
    // Everything up to the snapshot is committed, hence identical to the leader's.
    entries = entries.slice(Math.min(entries.length, log.snapshotIndex - prev));
    prev = log.snapshotIndex;
  } else if (prev > log.lastIndex()) {
    reply.conflictIndex = log.lastIndex() + 1;
    return reply;
  } else if (log.term(prev) !== args.prevLogTerm) {
    reply.conflictTerm = log.term(prev)!;
    reply.conflictIndex = log.firstIndexOfTermRun(prev);
    return reply;
  }

  for (let i = 0; i < entries.length; i++) {
    const index = prev + 1 + i;
    if (index > log.lastIndex()) {
      append(r, index, entries.slice(i));
      break;
    }
    if (log.term(index) !== entries[i]!.term) {
      if (index <= r.commitIndex) {
        throw new Error(
          `raft invariant violated: peer ${r.id} asked to overwrite committed index ${index} (commit ${r.commitIndex})`,
        );
      }
      log.truncateFrom(index);
      r.persistQueue.truncateFrom(index);
      append(r, index, entries.slice(i));
      break;
    }
  }
  const lastNew = prev + entries.length;
  if (args.leaderCommit > r.commitIndex) {
    const before = r.commitIndex;
    r.commitIndex = Math.max(r.commitIndex, Math.min(args.leaderCommit, lastNew));
    if (r.commitIndex > before) r.trace('commit', { index: r.commitIndex });
  }
  reply.success = true;
  reply.matchIndex = lastNew;
  return reply;
}

function append(r: CoreState, firstIndex: number, entries: AppendEntriesArgs['entries']): void {
  r.log.append(entries as never[]);
  r.persistQueue.append(firstIndex, entries);
}
