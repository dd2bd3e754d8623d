import { InvalidArgumentError } from '@raftkit/core';

/**
 * Known Raft bugs that can be switched back on, only to prove that the swarm
 * tester finds them (as openraft validated its fuzzer). This module is the one
 * place that reads the switch, env `RAFTKIT_TEST_BUG`, once at load. Never set
 * it outside such a test: each bug breaks safety.
 *
 * - `vote-without-log-check`: grant RequestVote without the up-to-date check (§5.4.1).
 * - `commit-earlier-term`: a leader commits an entry of an earlier term by
 *   counting replicas (the Figure 8 mistake, §5.4.2).
 * - `forget-vote`: the vote is not persisted (a restarted peer may vote twice in a term).
 */
export const TEST_BUGS = ['vote-without-log-check', 'commit-earlier-term', 'forget-vote'] as const;

export type TestBug = (typeof TEST_BUGS)[number];

function readSwitch(): TestBug | undefined {
  const raw = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env?.RAFTKIT_TEST_BUG;
  if (raw === undefined || raw === '') return undefined;
  if ((TEST_BUGS as readonly string[]).includes(raw)) return raw as TestBug;
  throw new InvalidArgumentError({
    argument: 'RAFTKIT_TEST_BUG',
    message: `RAFTKIT_TEST_BUG must be one of ${TEST_BUGS.join(', ')} (or unset), got "${raw}"`,
  });
}

/** The re-introduced bug of this process, or undefined (always, outside harness validation). */
export const testBug: TestBug | undefined = readSwitch();
