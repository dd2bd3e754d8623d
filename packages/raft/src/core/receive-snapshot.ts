import type { InstallSnapshotArgs, InstallSnapshotReply } from '../types.js';
import { acceptLeader } from './become.js';
import type { CoreState } from './state.js';

/**
 * InstallSnapshot receiver (Figure 13, one chunk). A snapshot at or below the
 * commit index adds nothing and is ignored (a stale or duplicate one). Otherwise
 * the log keeps the suffix after the snapshot if it agrees at the snapshot's
 * index, else it is discarded (the snapshot overtakes the log); the snapshot
 * goes to the service ahead of any later entry.
 */
export function handleInstallSnapshot(
  r: CoreState,
  args: InstallSnapshotArgs,
): InstallSnapshotReply {
  if (args.term < r.term) return { term: r.term, round: args.round };
  acceptLeader(r, args.term, args.leaderId);
  const index = args.lastIncludedIndex;
  const term = args.lastIncludedTerm;
  if (index <= r.commitIndex) {
    r.trace('install-snapshot-stale', { index, commit: r.commitIndex });
    return { term: r.term, round: args.round };
  }

  const meta = { index, term };
  if (r.log.term(index) === term) {
    r.log.compactTo(index);
    r.persistQueue.snapshot(meta, args.data);
  } else {
    r.log.resetTo(index, term);
    r.persistQueue.snapshot(meta, args.data);
    r.persistQueue.truncateFrom(index + 1);
  }
  r.snapshotData = args.data;
  r.commitIndex = index;
  r.appliedTo = index;
  r.snapshotToApply = { index, term, data: args.data };
  r.trace('install-snapshot', { index, snapTerm: term });
  return { term: r.term, round: args.round };
}
