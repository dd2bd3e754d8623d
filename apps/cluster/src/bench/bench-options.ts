import { InvalidArgumentError } from '@raftkit/core';
import type { ClientTls } from '../client/tls-options.js';

/** The operations a benchmark can mix. `get` is linearizable; `sget` is serializable. */
export type BenchOp = 'put' | 'get' | 'sget';
export const BENCH_OPS: readonly BenchOp[] = ['put', 'get', 'sget'];

export interface BenchOptions {
  endpoints: readonly URL[];
  /** Concurrent closed-loop clients; each waits for its reply before sending again. */
  clients: number;
  /** Measured window, s. */
  seconds: number;
  /** Load before the window that is not recorded, s. */
  warmup: number;
  /** Relative weights per op, e.g. { put: 1, get: 1 }; at least one positive. */
  mix: Record<BenchOp, number>;
  /** Key space; each op picks a key uniformly. */
  keys: number;
  valueBytes: number;
  /** Put every key once before warm-up so that gets hit. */
  preload: boolean;
  /** Per-request bound, ms; a timed-out request counts as an error. */
  timeoutMs: number;
  prefix: string;
  /** `leader`: every client sends to the leader (as kvload.mjs); `spread`: clients round-robin over endpoints. */
  target: 'leader' | 'spread';
  /** Seeds key and op choices. */
  seed: number;
  /** Server process ids whose CPU time is reported for the window. */
  cpuPids: readonly number[];
  /** For https:// endpoints: the CA to trust and the client certificate to present. */
  tls?: ClientTls;
}

function check(ok: boolean, argument: string, message: string): void {
  if (!ok) throw new InvalidArgumentError({ argument, message });
}

/**
 * Parses an op mix: `put`, `get`, `sget`, `mix` (put=1,get=1), or weights such as
 * `put=70,get=30`. Throws InvalidArgumentError naming what is wrong.
 */
export function parseMix(text: string): Record<BenchOp, number> {
  const mix: Record<BenchOp, number> = { put: 0, get: 0, sget: 0 };
  if (text === 'mix') return { ...mix, put: 1, get: 1 };
  if ((BENCH_OPS as readonly string[]).includes(text)) return { ...mix, [text]: 1 };
  for (const part of text.split(',')) {
    const [name, weight] = part.split('=');
    const w = Number(weight);
    check(
      (BENCH_OPS as readonly string[]).includes(name ?? '') && Number.isFinite(w) && w >= 0,
      'mix',
      `bad op mix "${text}"; use put, get, sget, mix, or weights such as put=70,get=30`,
    );
    mix[name as BenchOp] = w;
  }
  check(
    BENCH_OPS.some((op) => mix[op] > 0),
    'mix',
    `op mix "${text}" has no positive weight`,
  );
  return mix;
}

/** Checks every bound; throws InvalidArgumentError for the first that fails. */
export function validateBenchOptions(o: BenchOptions): BenchOptions {
  check(o.endpoints.length > 0, 'endpoints', 'give at least one endpoint');
  check(
    Number.isInteger(o.clients) && o.clients >= 1 && o.clients <= 10_000,
    'clients',
    `clients must be an integer in [1, 10000], got ${o.clients}`,
  );
  check(
    o.seconds > 0 && o.seconds <= 86_400,
    'seconds',
    `seconds must be in (0, 86400], got ${o.seconds}`,
  );
  check(
    o.warmup >= 0 && o.warmup <= 3600,
    'warmup',
    `warmup must be in [0, 3600] s, got ${o.warmup}`,
  );
  check(
    Number.isInteger(o.keys) && o.keys >= 1 && o.keys <= 10_000_000,
    'keys',
    `keys must be an integer in [1, 10^7], got ${o.keys}`,
  );
  check(
    Number.isInteger(o.valueBytes) && o.valueBytes >= 0 && o.valueBytes <= 1 << 20,
    'valueBytes',
    `value size must be an integer in [0, 1 MiB], got ${o.valueBytes}`,
  );
  check(
    o.timeoutMs > 0,
    'timeoutMs',
    `timeout must be a positive number of ms, got ${o.timeoutMs}`,
  );
  check(o.prefix.length > 0, 'prefix', 'the key prefix must not be empty');
  check(Number.isSafeInteger(o.seed), 'seed', `seed must be an integer, got ${o.seed}`);
  return o;
}
