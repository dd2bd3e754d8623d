import { InvalidArgumentError } from '@raftkit/core';

/** Tunables of the protocol. Every duration is in milliseconds of the injected clock. */
export interface RaftConfig {
  /** Lower bound of the randomised election timeout. Default 300. */
  electionTimeoutMinMs: number;
  /** Upper bound (inclusive) of the randomised election timeout. Default 600. */
  electionTimeoutMaxMs: number;
  /** A leader sends a heartbeat to each follower this often. Default 100 (the lab allows ≤ 10/s). */
  heartbeatIntervalMs: number;
  /** Campaign only after a PreVote round wins (thesis §9.6). Default false. */
  preVote: boolean;
  /**
   * A leader that has not heard from a majority for an election timeout steps
   * down, and a follower that heard from a leader within the minimum election
   * timeout ignores RequestVote (thesis §4.2.3). Default false.
   */
  checkQuorum: boolean;
  /** Enables `readIndex()` (linearizable reads without a log write, thesis §6.4). Default false. */
  readIndex: boolean;
  /** At most this many entries in one AppendEntries. Default 512. */
  maxEntriesPerAppend: number;
  /** At most this many AppendEntries carrying entries in flight per follower in replicate state. Default 16. */
  maxInflightAppends: number;
  /**
   * An AppendEntries unanswered for this long is presumed lost and the follower
   * is probed again from its match index. Default 2 × heartbeatIntervalMs.
   */
  staleAppendMs: number;
  /** An unanswered InstallSnapshot is sent again after this long. Default 1000. */
  snapshotResendMs: number;
  /**
   * A new leader appends an empty entry of its term at once (etcd does).
   * Default false, as the lab requires (its tests check exact log indices).
   *
   * The stall it avoids (Figure 8 rule, §5.4.2): a leader may commit only an
   * entry of its own term by counting replicas. Entries of earlier terms that a
   * majority already holds stay uncommitted, hence unapplied and unanswered,
   * until the new leader commits something of its own; with no new proposal
   * they wait forever. The no-op commits them within one round trip. It reaches
   * the apply sink as `{ kind: 'noop', index, term }`.
   */
  noopOnElection: boolean;
  /**
   * When a leader's commit index advances with no new entries to send,
   * followers hear of it after this many ms, unless entries proposed in the
   * meantime carry it first. 0 (default): at once, in its own event. Over real
   * sockets a few ms save one message round per write under light load, at
   * the cost of followers applying (and serving serializable reads) up to
   * that much later.
   */
  commitNotifyDelayMs: number;
}

export const defaultRaftConfig: Readonly<RaftConfig> = Object.freeze({
  electionTimeoutMinMs: 300,
  electionTimeoutMaxMs: 600,
  heartbeatIntervalMs: 100,
  preVote: false,
  checkQuorum: false,
  readIndex: false,
  maxEntriesPerAppend: 512,
  maxInflightAppends: 16,
  staleAppendMs: 200,
  snapshotResendMs: 1000,
  noopOnElection: false,
  commitNotifyDelayMs: 0,
});

function requireInt(
  name: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError({
      argument: name,
      message: `${name} must be an integer in [${min}, ${max}], got ${String(value)}`,
    });
  }
}

/** Fills defaults and checks every bound; throws `InvalidArgumentError` naming the bad option. */
export function validateConfig(partial: Partial<RaftConfig> = {}): RaftConfig {
  if (typeof partial !== 'object' || partial === null) {
    throw new InvalidArgumentError({
      argument: 'config',
      message: `the Raft options must be an object, got ${String(partial)}`,
    });
  }
  for (const key of Object.keys(partial)) {
    if (!(key in defaultRaftConfig)) {
      throw new InvalidArgumentError({
        argument: key,
        message: `unknown Raft option "${key}"; the options are ${Object.keys(defaultRaftConfig).join(', ')}`,
      });
    }
  }
  const hb = partial.heartbeatIntervalMs ?? defaultRaftConfig.heartbeatIntervalMs;
  const config: RaftConfig = {
    ...defaultRaftConfig,
    staleAppendMs: 2 * hb,
    ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)),
  };
  requireInt('heartbeatIntervalMs', config.heartbeatIntervalMs, 1);
  requireInt('electionTimeoutMinMs', config.electionTimeoutMinMs, 1);
  requireInt('electionTimeoutMaxMs', config.electionTimeoutMaxMs, config.electionTimeoutMinMs);
  if (config.electionTimeoutMinMs <= config.heartbeatIntervalMs) {
    throw new InvalidArgumentError({
      argument: 'electionTimeoutMinMs',
      message: `electionTimeoutMinMs (${config.electionTimeoutMinMs}) must exceed heartbeatIntervalMs (${config.heartbeatIntervalMs}), or followers time out between heartbeats; use at least 3× the heartbeat`,
    });
  }
  requireInt('maxEntriesPerAppend', config.maxEntriesPerAppend, 1);
  requireInt('maxInflightAppends', config.maxInflightAppends, 1, 1024);
  requireInt('staleAppendMs', config.staleAppendMs, 1);
  requireInt('snapshotResendMs', config.snapshotResendMs, 1);
  requireInt('commitNotifyDelayMs', config.commitNotifyDelayMs, 0, 1000);
  for (const flag of ['preVote', 'checkQuorum', 'readIndex', 'noopOnElection'] as const) {
    if (typeof config[flag] !== 'boolean') {
      throw new InvalidArgumentError({
        argument: flag,
        message: `${flag} must be a boolean, got ${String(config[flag])}`,
      });
    }
  }
  return config;
}
