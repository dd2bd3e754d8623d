import { InvalidArgumentError } from '@raftkit/core';
import { checkId } from './options.js';

/** Faults on the calls from this node to a peer (the caller's side of the link). */
export interface LinkFaults {
  /** Fraction (0–1) of requests dropped before they are sent; the call resolves as lost. */
  dropRequests?: number;
  /** Fraction (0–1) of replies discarded on arrival (the handler ran); the call resolves as lost. */
  dropReplies?: number;
  /** Extra delay (ms, drawn uniformly in [min, max]) before a request is sent. */
  delayMs?: readonly [number, number];
}

/**
 * 'out': this node's calls to the peer are lost; 'in': the peer's requests to
 * this node are discarded unanswered (its calls time out); 'both'.
 */
export type CutDirection = 'out' | 'in' | 'both';

/** A call lost by the fault layer resolves after a delay drawn in [0, this] ms, as on the lab's disabled ends. */
export const FAULT_LOST_MAX_MS = 100;

interface Rule {
  dropRequests: number;
  dropReplies: number;
  delayMs: readonly [number, number] | undefined;
}

function checkFraction(argument: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new InvalidArgumentError({
      argument,
      message: `${argument} must be a fraction in [0, 1], got ${String(value)}`,
    });
  }
  return value;
}

/**
 * The fault layer of one transport, for tests over real sockets: drop a
 * fraction of requests or replies, delay requests, cut the link to a peer one
 * way or both. Everything is decided with the transport's injected rng.
 * Partitions are built by cutting on both nodes (or 'both' on one).
 */
export class TcpFaults {
  private defaults: Rule | undefined;
  private readonly perPeer = new Map<string, Rule>();
  private readonly cutOut = new Set<string>();
  private readonly cutIn = new Set<string>();

  /** Applies `faults` to calls to `peer`, or to every peer without its own rule when omitted. */
  set(faults: LinkFaults, peer?: string): void {
    if (peer !== undefined) checkId('peer', peer);
    const delay = faults.delayMs;
    if (
      delay !== undefined &&
      (!Array.isArray(delay) || !(delay[0] >= 0) || !(delay[1] >= delay[0]) || delay.length !== 2)
    ) {
      throw new InvalidArgumentError({
        argument: 'delayMs',
        message: `delayMs must be [min, max] with 0 ≤ min ≤ max, got ${JSON.stringify(delay)}`,
      });
    }
    const rule: Rule = {
      dropRequests: checkFraction('dropRequests', faults.dropRequests),
      dropReplies: checkFraction('dropReplies', faults.dropReplies),
      delayMs: delay === undefined ? undefined : [delay[0], delay[1]],
    };
    if (peer === undefined) this.defaults = rule;
    else this.perPeer.set(peer, rule);
  }

  /** Cuts the link to `peer`. */
  cut(peer: string, direction: CutDirection = 'both'): void {
    checkId('peer', peer);
    if (direction !== 'in' && direction !== 'out' && direction !== 'both') {
      throw new InvalidArgumentError({
        argument: 'direction',
        message: `direction must be 'in', 'out' or 'both', got ${String(direction)}`,
      });
    }
    if (direction !== 'in') this.cutOut.add(peer);
    if (direction !== 'out') this.cutIn.add(peer);
  }

  /** Restores the link to `peer` (both directions), or every cut link when omitted. */
  heal(peer?: string): void {
    if (peer === undefined) {
      this.cutOut.clear();
      this.cutIn.clear();
      return;
    }
    this.cutOut.delete(peer);
    this.cutIn.delete(peer);
  }

  /** Removes every fault: rules and cuts. */
  clear(): void {
    this.defaults = undefined;
    this.perPeer.clear();
    this.heal();
  }

  /** @internal Calls to `peer` are lost. */
  isCutOut(peer: string): boolean {
    return this.cutOut.has(peer);
  }

  /** @internal Requests from `peer` are discarded. */
  isCutIn(peer: string): boolean {
    return this.cutIn.has(peer);
  }

  /** @internal The rule for calls to `peer`, if any. */
  rule(peer: string): Rule | undefined {
    return this.perPeer.get(peer) ?? this.defaults;
  }
}
