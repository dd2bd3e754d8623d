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
   * When the commit index advances and nothing new is to be sent, followers hear of it after
   * this many ms (new entries sent in the meantime carry it). 0 (default): at once, in its own
   * event. A few ms save a message round per write under light load, over real sockets, at the
   * cost of followers applying that much later.
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
  for (const flag of ['preVote', 'checkQuorum', 'readIndex'] as const) {
    if (typeof config[flag] !== 'boolean') {
      throw new InvalidArgumentError({
        argument: flag,
        message: `${flag} must be a boolean, got ${String(config[flag])}`,
      });
    }
  }
  return config;
}
