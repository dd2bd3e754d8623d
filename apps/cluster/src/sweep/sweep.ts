import { SingleBar } from 'cli-progress';
import { findLabTest } from '../lab/registry.js';
import { type LabRunResult, replayCommand, shapingEnv } from '../lab/run-lab-test.js';
import { runPool } from './pool.js';
import type { SweepJob } from './worker.js';

export interface SweepOptions {
  tests: string[];
  seeds: number;
  firstSeed: number;
  jobs: number;
  /** Print plain progress lines instead of a bar (default: when stdout is not a TTY). */
  plain?: boolean;
  /** Wall-clock seconds after which a run is reported as a hang (default 120). */
  watchdogSeconds?: number;
  /** Extra environment for the runs (e.g. `{ RAFTKIT_TEST_BUG: 'forget-vote' }`). */
  env?: Record<string, string>;
  /** Print nothing (tests). */
  silent?: boolean;
}

export interface SweepSummary {
  runs: number;
  failures: LabRunResult[];
  wallMs: number;
  perTest: Map<string, { runs: number; failures: number; wallMs: number }>;
}

/** Runs each test over seeds firstSeed … firstSeed+seeds-1 on `jobs` workers; prints a summary. */
export async function sweep(options: SweepOptions): Promise<SweepSummary> {
  const names = options.tests.map((t) => {
    const test = findLabTest(t);
    if (test === undefined)
      throw new Error(`unknown test "${t}"; run "raftkit list" to see the names`);
    return test.name;
  });
  if (!Number.isSafeInteger(options.jobs) || options.jobs < 1 || options.seeds < 1)
    throw new Error(
      `sweep needs jobs ≥ 1 and seeds ≥ 1, got jobs=${options.jobs} seeds=${options.seeds}`,
    );
  const jobs = options.jobs;
  const queue: SweepJob[] = [];
  for (let s = 0; s < options.seeds; s++)
    for (const test of names) queue.push({ test, seed: options.firstSeed + s });
  const plain = options.plain ?? !process.stdout.isTTY;
  const lastSeed = options.firstSeed + options.seeds - 1;
  const console = options.silent ? quietConsole : globalThis.console;
  const settings = shapingEnv({ ...process.env, ...options.env });
  console.log(
    `sweep: ${names.join(', ')} × seeds ${options.firstSeed}..${lastSeed} (${queue.length} runs) on ${jobs} workers` +
      (settings.length > 0 ? ` with ${settings.join(' ')}` : ''),
  );
  const started = performance.now();
  const bar =
    plain || options.silent
      ? undefined
      : new SingleBar({
          format: ' {bar} {value}/{total} runs | failures {failures} | {duration_formatted}',
        });
  bar?.start(queue.length, 0, { failures: 0 });
  let done = 0;
  let failed = 0;
  const step = Math.max(1, Math.floor(queue.length / 20));
  const perTest = new Map<string, { runs: number; failures: number; wallMs: number }>();
  const pool = {
    jobs,
    watchdogMs: (options.watchdogSeconds ?? 120) * 1000,
    ...(options.env === undefined ? {} : { env: options.env }),
  };
  const results = await runPool(new URL('./sweep-worker.js', import.meta.url), queue, pool, (r) => {
    done += 1;
    const t = perTest.get(r.test) ?? { runs: 0, failures: 0, wallMs: 0 };
    t.runs += 1;
    t.wallMs += r.wallMs;
    if (!r.ok) {
      failed += 1;
      t.failures += 1;
      if (!bar) console.log(`FAIL Test${r.test} seed=${r.seed}: ${r.error}`);
    }
    perTest.set(r.test, t);
    if (bar) bar.update(done, { failures: failed });
    else if (done % step === 0 || done === queue.length) {
      console.log(
        `  ${done}/${queue.length} runs, ${failed} failures, ${((performance.now() - started) / 1000).toFixed(1)}s`,
      );
    }
  });
  bar?.stop();
  const wallMs = performance.now() - started;
  const failures = results
    .filter((r) => !r.ok)
    .sort((a, b) => a.test.localeCompare(b.test) || a.seed - b.seed);
  console.log('\nsweep summary');
  console.log(`  seeds:    ${options.firstSeed}..${lastSeed} (${options.seeds} per test)`);
  for (const [name, t] of perTest) {
    console.log(
      `  Test${name}: ${t.runs} runs, ${t.failures} failures, mean ${(t.wallMs / t.runs / 1000).toFixed(2)}s wall per run`,
    );
  }
  console.log(`  runs:     ${results.length}, failures: ${failures.length}`);
  console.log(`  wall:     ${(wallMs / 1000).toFixed(1)}s on ${jobs} workers`);
  for (const f of failures) {
    console.log(`  FAILED Test${f.test} seed=${f.seed} hash=${f.traceHash || '-'}: ${f.error}`);
    console.log(
      `    replay: ${f.replay || replayCommand(findLabTest(f.test) ?? { name: f.test, part: '' }, f.seed, { ...process.env, ...options.env })}`,
    );
    if (f.tracePath) console.log(`    trace:  ${f.tracePath}`);
  }
  return { runs: results.length, failures, wallMs, perTest };
}

const quietConsole = { log: (..._args: unknown[]) => {} };
