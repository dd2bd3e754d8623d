import { msgpackCodec } from '@raftkit/codec';
import type { RaftHarness } from './harness.js';

/**
 * checkLogs: records that peer i applied `command` at `index`. Returns an
 * error when another peer applied a different value there, or when i
 * applied index without index-1 first.
 */
/**
 * Test-only switch (never set in normal runs): RAFTKIT_TEST_CORRUPT_APPLY=k makes the tester
 * record a wrong command for server 1's apply of index k, as a Raft that applied a different
 * entry would, so the run fails through the tester's own check (the trace viewer's failing-run
 * example). Raft itself is untouched.
 */
function corruptedApply(i: number, index: number, command: unknown): unknown {
  const raw = process.env.RAFTKIT_TEST_CORRUPT_APPLY;
  if (raw === undefined || raw === '' || i !== 1 || index !== Number(raw)) return command;
  return typeof command === 'number' ? command + 1_000_000 : `${String(command)}<corrupted>`;
}

export function applyCommand(
  h: RaftHarness,
  i: number,
  index: number,
  command: unknown,
): string | undefined {
  command = corruptedApply(i, index, command);
  for (let j = 0; j < h.logs.length; j++) {
    const old = h.logs[j]!.get(index);
    if (old !== undefined && old !== command) {
      return `commit index=${index} server=${i} ${String(command)} != server=${j} ${String(old)}`;
    }
  }
  const prevOk = h.logs[i]!.has(index - 1);
  h.logs[i]!.set(index, command);
  if (index > h.maxIndex) h.maxIndex = index;
  if (index > 1 && !prevOk) return `server ${i} apply out of order ${index}`;
  return undefined;
}

/**
 * ingestSnap: replaces peer i's apply log by the snapshot's contents. The
 * snapshot is [lastIncludedIndex, values[0..index]]; `index` is the apply
 * message's index (-1 when read from the persister at start).
 */
export function applySnapshotMsg(
  h: RaftHarness,
  i: number,
  snapshot: Uint8Array,
  index: number,
): string | undefined {
  if (snapshot.length === 0) return 'nil snapshot';
  let decoded: unknown;
  try {
    decoded = msgpackCodec.decode(snapshot);
  } catch (error) {
    return `snapshot decode error: ${String(error)}`;
  }
  if (!Array.isArray(decoded) || typeof decoded[0] !== 'number' || !Array.isArray(decoded[1])) {
    return 'snapshot decode error: not [index, values]';
  }
  const lastIncluded = decoded[0] as number;
  const xlog = decoded[1] as unknown[];
  if (index !== -1 && index !== lastIncluded) {
    return `server ${i} snapshot doesn't match m.SnapshotIndex`;
  }
  const log = new Map<number, unknown>();
  for (let j = 0; j < xlog.length; j++) log.set(j, xlog[j]);
  h.logs[i] = log;
  h.lastApplied[i] = lastIncluded;
  return undefined;
}
