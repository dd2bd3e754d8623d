import { join } from 'node:path';
import type { Simulation } from '@raftkit/labrpc';
import type { LabSummary, LabTest } from '../lab/lab-test.js';
import { failureReport, runLabTest, summaryLine, traceDir } from '../lab/run-lab-test.js';
import { seedFor } from '../lab/seed.js';
import { KvConfig, type KvConfigOptions } from './config.js';
import { checkerStats } from './linearizability-check.js';
import { quietFromEnv } from './quiet.js';

/**
 * The kv half of the tester on the shared lab runner (src/lab): a kv test is a `LabTest`
 * (runnable by the sweep command and the CLI), and this module adds what kv tests need on top:
 * a context whose configs are cleaned up, artifact paths, and SEEDS sweeps inside one process.
 */

/** What a kv test body gets. */
export interface KvTestContext {
  /** The vitest / lab name, e.g. `TestBasic4A`. */
  readonly testName: string;
  readonly seed: number;
  readonly sim: Simulation;
  /** True while sweeping many seeds (SEEDS) or with RAFTKIT_QUIET=1: keep output short. */
  readonly quiet: boolean;
  /** Base path for this run's failure artifacts, e.g. …/traces/Basic4A-seed42. */
  readonly artifactBase: string;
  /** The lab's make_config; configs are cleaned up when the body ends. */
  makeConfig(options: Omit<KvConfigOptions, 'sim' | 'quiet'>): KvConfig;
  /** Prints a line unless quiet. */
  log(line: string): void;
}

export type KvTestBody = (ctx: KvTestContext) => Promise<LabSummary>;

/** Wraps a kv body as a shared `LabTest` (`name` without the "Test" prefix, as the lab runner wants). */
export function kvLabTest(
  name: string,
  part: '4A' | '4B' | 'dedup' | 'etcd',
  description: string,
  body: KvTestBody,
): LabTest {
  return {
    name,
    part,
    description,
    async body(sim) {
      const configs: KvConfig[] = [];
      const quiet = quietFromEnv();
      const ctx: KvTestContext = {
        testName: `Test${name}`,
        seed: Number(sim.seed),
        sim,
        quiet,
        artifactBase: join(traceDir(), `${name}-seed${sim.seed}`),
        makeConfig(options) {
          const cfg = new KvConfig({ ...options, sim, quiet });
          configs.push(cfg);
          return cfg;
        },
        log(line) {
          if (!quiet) console.log(line);
        },
      };
      try {
        return await body(ctx);
      } finally {
        for (const cfg of configs) cfg.cleanup();
      }
    },
  };
}

/** Parses SEEDS: `1-300`, `1..300`, `5,9,12`, or a bare count `300` (= 1..300). */
export function parseSeedList(spec: string): number[] {
  const parts = spec.split(',');
  const out: number[] = [];
  const num = (text: string) => {
    const n = Number(text.trim());
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`SEEDS: "${text}" is not a seed`);
    return n;
  };
  for (const part of parts) {
    const range = /^\s*(\d+)\s*(?:-|\.\.)\s*(\d+)\s*$/.exec(part);
    if (range) {
      const [lo, hi] = [num(range[1]!), num(range[2]!)];
      if (hi < lo) throw new Error(`SEEDS range "${part}" is empty: write low-high`);
      for (let s = lo; s <= hi; s++) out.push(s);
    } else if (parts.length === 1) {
      for (let s = 1; s <= num(part); s++) out.push(s);
    } else {
      out.push(num(part));
    }
  }
  if (out.length === 0) throw new Error(`SEEDS="${spec}" names no seed`);
  return out;
}

/** The seeds to run `test` with: SEEDS (a sweep), else the shared `seedFor` (SEED or default). */
export function seedsFor(test: LabTest): number[] {
  const many = process.env.SEEDS;
  if (many !== undefined && many !== '') return parseSeedList(many);
  return [seedFor(test.name)];
}

/** Vitest timeout (wall ms) for a kv test: generous per seed, times the number of seeds. */
export function kvTestTimeout(): number {
  const many = process.env.SEEDS;
  const n = many === undefined || many === '' ? 1 : parseSeedList(many).length;
  return n * 300_000;
}

/**
 * Runs a kv test for vitest: every seed from the environment through the shared runner,
 * printing the lab's summary line with the seed and the wall time, or the failure report
 * (error, replay command, trace file; history/HTML paths are in the error). A sweep runs all
 * its seeds, then fails listing every failing seed.
 */
export async function runKvTest(test: LabTest): Promise<void> {
  const seeds = seedsFor(test);
  checkerStats.checks = 0;
  checkerStats.maxMs = 0;
  checkerStats.maxOps = 0;
  checkerStats.maxSteps = 0;
  const sweep = seeds.length > 1 || (process.env.SEEDS ?? '') !== '';
  const failures: string[] = [];
  const failedSeeds: number[] = [];
  let wallMs = 0;
  for (const seed of seeds) {
    checkerStats.last = undefined;
    const r = await runLabTest(test, seed);
    wallMs += r.wallMs;
    const check = checkerStats.last as { ms: number; ops: number; steps: number } | undefined;
    const wall =
      `wall=${(r.wallMs / 1000).toFixed(2)}s` +
      (check === undefined
        ? ''
        : ` check=${check.ops}ops/${check.steps}steps/${check.ms.toFixed(0)}ms`);
    if (r.ok) {
      if (!sweep && r.summary !== undefined) console.log(summaryLine(r.summary, seed, r.traceHash));
      console.log(`Test${test.name} seed=${seed} hash=${r.traceHash} ok ${wall}`);
    } else {
      const report = failureReport(r);
      console.log(`${report}\n  ${wall}`);
      failures.push(report);
      failedSeeds.push(seed);
    }
  }
  if (sweep) {
    console.log(
      `Test${test.name} sweep: ${seeds.length} seeds, ${failures.length} failed, ` +
        `wall ${(wallMs / 1000).toFixed(1)}s` +
        (checkerStats.checks > 0
          ? `, largest check ${checkerStats.maxSteps} steps (${checkerStats.maxMs.toFixed(0)}ms), largest history ${checkerStats.maxOps} ops`
          : '') +
        (failedSeeds.length > 0 ? `; failing seeds: ${failedSeeds.join(',')}` : ''),
    );
  }
  if (failures.length > 0) throw new Error(failures.join('\n'));
}
