import {
  type ClientEnd,
  type Clock,
  InvalidArgumentError,
  type Logger,
  type RaftStorage,
  type Rng,
} from '@raftkit/core';
import type { RaftConfig } from '../config.js';
import type { ApplyMsg, SoftState } from '../types.js';

/**
 * A change of role, leader or term, as reported to `onStateChange` and
 * `subscribe` listeners. `previous` is what the last notification said (the
 * state at start for the first one).
 */
export interface StateChange {
  previous: SoftState;
  current: SoftState;
}

export interface RaftPeerOptions<C = unknown> extends Partial<RaftConfig> {
  /** One client end per peer, in the same order on every peer; `peers[me]` is this peer's own. */
  peers: readonly ClientEnd[];
  /** This peer's index in `peers`. */
  me: number;
  /** Durable state; read once here, then written in proportion to what changes. */
  storage: RaftStorage;
  /** Receives committed commands and installed snapshots in index order (see README, "Applies"). */
  apply: (msg: ApplyMsg<C>) => void;
  clock: Clock;
  /** Draws election timeouts; give each peer its own stream (e.g. `rng.fork('raft-2')`). */
  rng: Rng;
  logger?: Logger;
  /**
   * Deliver the persisted snapshot through `apply` before anything else on
   * start. Default false: as in the lab, the service reads
   * `storage.readSnapshot()` itself and Raft starts at the snapshot's index.
   */
  deliverSnapshotOnStart?: boolean;
  /** A `readIndex()` not confirmed within this many ms fails with 'timeout'. Default 2 × electionTimeoutMaxMs. */
  readIndexTimeoutMs?: number;
  /** Called on every change of role, leader or term (the same as a `subscribe` listener). */
  onStateChange?: (change: StateChange) => void;
}

function invalid(argument: string, message: string): never {
  throw new InvalidArgumentError({ argument, message });
}

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function')
  );
}

/**
 * Checks the node's own options (the protocol tunables are checked by
 * `validateConfig`): each failure is an `InvalidArgumentError` naming the
 * option and saying what to pass instead.
 */
export function validatePeerOptions(options: RaftPeerOptions<never>): void {
  if (typeof options !== 'object' || options === null)
    invalid(
      'options',
      'RaftPeer needs an options object: { peers, me, storage, apply, clock, rng }',
    );
  const { peers, me } = options;
  if (!Array.isArray(peers) || peers.length === 0)
    invalid(
      'peers',
      'peers must be a non-empty array of client ends (one per peer, itself included)',
    );
  for (let i = 0; i < peers.length; i++) {
    if (!hasMethods(peers[i], ['call']))
      invalid(
        'peers',
        `peers[${i}] is ${peers[i] === undefined ? 'a hole' : 'not a client end'}; every slot must hold a client end with call(method, args)`,
      );
  }
  if (!Number.isInteger(me) || me < 0 || me >= peers.length)
    invalid('me', `me must be an index into peers (0..${peers.length - 1}), got ${String(me)}`);
  if (
    !hasMethods(options.storage, ['load', 'save', 'raftStateSize', 'snapshotSize', 'readSnapshot'])
  )
    invalid(
      'storage',
      `storage must be a RaftStorage (load, save, raftStateSize, snapshotSize, readSnapshot), got ${String(options.storage)}; use new MemoryPersister() from @raftkit/persister for tests`,
    );
  if (typeof options.apply !== 'function')
    invalid('apply', 'apply must be a function receiving ApplyMsg values');
  if (!hasMethods(options.clock, ['now', 'setTimer']))
    invalid(
      'clock',
      `clock must be a Clock (now, setTimer), got ${String(options.clock)}; use new RealClock() from @raftkit/core, or a Simulation's clock`,
    );
  if (!hasMethods(options.rng, ['int', 'float']))
    invalid(
      'rng',
      `rng must be an Rng (int, float, …), got ${String(options.rng)}; use createCryptoRng() from @raftkit/core, or a seeded one in tests`,
    );
  if (options.logger !== undefined && !hasMethods(options.logger, ['log']))
    invalid('logger', 'logger must be a Logger with log(src, ev, fields)');
  const t = options.readIndexTimeoutMs;
  if (t !== undefined && !(typeof t === 'number' && Number.isFinite(t) && t > 0))
    invalid(
      'readIndexTimeoutMs',
      `readIndexTimeoutMs must be a finite number of ms > 0, got ${String(t)}`,
    );
  if (
    options.deliverSnapshotOnStart !== undefined &&
    typeof options.deliverSnapshotOnStart !== 'boolean'
  )
    invalid('deliverSnapshotOnStart', 'deliverSnapshotOnStart must be a boolean');
  if (options.onStateChange !== undefined && typeof options.onStateChange !== 'function')
    invalid('onStateChange', 'onStateChange must be a function receiving { previous, current }');
}
