import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Simulation } from '@raftkit/labrpc';
import { renderTraceViewer } from '../trace-viewer/render-trace.js';
import type { LabSummary, LabTest } from './lab-test.js';

export interface LabRunResult {
  test: string;
  seed: number;
  ok: boolean;
  summary?: LabSummary;
  error?: string;
  /** Where the failing run's trace was written. */
  tracePath?: string;
  /** The trace viewer page written beside it (the same trace, drawn). */
  htmlPath?: string;
  /** Hash of the run's schedule: the same for every run of this seed and these settings. */
  traceHash: string;
  wallMs: number;
  /** The command that replays this run exactly. */
  replay: string;
}

export interface RunLabTestOptions {
  /**
   * Stop the run after this much wall-clock time and report it as a hang (a watchdog for
   * sweeps; it can only turn a run that would not finish into a reported failure).
   */
  wallLimitMs?: number | undefined;
  /** Trace every delivered message too (the viewer's arrows); default: env RAFTKIT_LOG. */
  traceDeliveries?: boolean;
  /** Trace records kept (default 200,000). */
  traceCapacity?: number;
  /** Write the trace viewer page here whether the run passes or fails. */
  html?: string;
}

/** Directory for failure traces: RAFTKIT_TRACE_DIR, else apps/cluster/traces. */
export function traceDir(): string {
  if (process.env.RAFTKIT_TRACE_DIR) return resolve(process.env.RAFTKIT_TRACE_DIR);
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'traces');
}

/**
 * Environment settings that shape a run (and so belong in its replay command). SEED is not
 * among them: the replay command sets it explicitly.
 */
export const SHAPING_ENV = [
  'RAFTKIT_PREVOTE',
  'RAFTKIT_CHECKQUORUM',
  'RAFTKIT_KV_GET_MODE',
  'RAFTKIT_TEST_BUG',
  'RAFTKIT_CHECK_MAX_STEPS',
] as const;

/** The shaping settings set in `env`, as `NAME=value` words for a shell command. */
export function shapingEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  for (const name of SHAPING_ENV) {
    const value = env[name];
    if (value !== undefined && value !== '') out.push(`${name}=${shellWord(value)}`);
  }
  return out;
}

function shellWord(value: string): string {
  return /^[\w./:-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A regex matching exactly `name` (vitest's -t matches the full name, describe blocks included). */
function exactly(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/**
 * Where a lab test lives in the vitest suites: its file and full name. Undefined for tests
 * that only the CLI runs (the swarm, ad-hoc tests); they replay through the CLI.
 */
export function vitestLocation(
  test: Pick<LabTest, 'name' | 'part'>,
  env: NodeJS.ProcessEnv = process.env,
): { file: string; fullName: string } | undefined {
  const part = test.part;
  if (/^3[A-D]$/.test(part)) {
    return {
      file: `test/raft-${part.toLowerCase()}.test.ts`,
      fullName: `Raft ${part} Test${test.name}`,
    };
  }
  if (part === '4A' || part === '4B') {
    if (env.RAFTKIT_KV_GET_MODE === 'log')
      return {
        file: 'test/kv-log-gets.test.ts',
        fullName: `Gets through the log Test${test.name}`,
      };
    return { file: `test/kv-${part.toLowerCase()}.test.ts`, fullName: `Test${test.name}` };
  }
  if (part === 'dedup') return { file: 'test/kv-dedup.test.ts', fullName: `Test${test.name}` };
  return undefined;
}

/**
 * The command that replays a run exactly: every shaping setting, the seed, and a test
 * selection that matches this one test only (a vitest file plus an anchored full name, or the
 * CLI's `lab` command for tests that live only there). Runs from the repository root.
 */
export function replayCommand(
  test: Pick<LabTest, 'name' | 'part'>,
  seed: number,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const settings = shapingEnv(env);
  const where = vitestLocation(test, env);
  if (where === undefined) {
    const prefix = [...settings].join(' ');
    return `(cd apps/cluster && ${prefix ? `${prefix} ` : ''}node dist/cli.js lab -t ${test.name} --seed ${seed})`;
  }
  const prefix = [...settings, `SEED=${seed}`].join(' ');
  return `(cd apps/cluster && ${prefix} npx vitest run ${where.file} -t '${exactly(where.fullName)}')`;
}

/**
 * Formats the lab's per-test summary line (`time` is virtual seconds), plus the
 * seed, the trace hash, the linearizability verdict when the test checked a
 * history, and the wall-clock time when known.
 */
export function summaryLine(
  s: LabSummary,
  seed: number,
  traceHash?: string,
  wallMs?: number,
): string {
  const hash = traceHash === undefined ? '' : `  hash=${traceHash}`;
  const lin =
    s.linearizability === undefined
      ? ''
      : `  linearizable=${s.linearizability.verdict}(${s.linearizability.operations} ops)`;
  const wall = wallMs === undefined ? '' : `  wall=${(wallMs / 1000).toFixed(2)}s`;
  return `  ... Passed --  time ${s.seconds.toFixed(1).padStart(5)}s  #peers ${s.peers}  #RPCs ${String(s.rpcs).padStart(5)}  #bytes ${String(s.bytes).padStart(8)}  #Ops ${String(s.ops).padStart(4)}  seed=${seed}${hash}${lin}${wall}`;
}

/** Writes the trace viewer page of a finished run; returns its path. */
function writeTracePage(
  sim: Simulation,
  test: LabTest,
  seed: number,
  path: string,
  ok: boolean,
  error?: string,
) {
  mkdirSync(dirname(path), { recursive: true });
  const records = sim.traceRecords();
  const html = renderTraceViewer(records, {
    test: test.name,
    seed,
    ok,
    ...(error === undefined ? {} : { error }),
    tEnd: sim.clock.now(),
    total: sim.traceSize(),
    deliveries: sim.traceDeliveries === true,
  });
  writeFileSync(path, html);
  return path;
}

/**
 * Runs one lab test on a fresh simulation from `seed`. Never throws: a
 * failure comes back with its message, trace file (and the trace viewer page beside it) and
 * replay command.
 */
export async function runLabTest(
  test: LabTest,
  seed: number,
  options: RunLabTestOptions = {},
): Promise<LabRunResult> {
  const sim = new Simulation({
    seed,
    ...(options.traceDeliveries === undefined ? {} : { traceDeliveries: options.traceDeliveries }),
    ...(options.traceCapacity === undefined ? {} : { traceCapacity: options.traceCapacity }),
  });
  const started = performance.now();
  const replay = replayCommand(test, seed);
  const limit = options.wallLimitMs;
  const shouldStop =
    limit === undefined
      ? undefined
      : () =>
          performance.now() - started > limit
            ? `watchdog: ${(limit / 1000).toFixed(0)}s of wall time passed (a hang, not a verdict)`
            : undefined;
  try {
    const summary = await sim.run(() => test.body(sim), {
      maxVirtualMs: 180_000,
      ...(shouldStop === undefined ? {} : { shouldStop }),
    });
    const htmlPath =
      options.html === undefined ? undefined : writeTracePage(sim, test, seed, options.html, true);
    return {
      ...(htmlPath === undefined ? {} : { htmlPath }),
      test: test.name,
      seed,
      ok: true,
      summary,
      traceHash: sim.traceHash(),
      wallMs: performance.now() - started,
      replay,
    };
  } catch (error) {
    const dir = traceDir();
    mkdirSync(dir, { recursive: true });
    const tracePath = sim.dumpTrace(join(dir, `${test.name}-seed${seed}.jsonl`), {
      test: test.name,
      settings: shapingEnv(),
    });
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const htmlPath = writeTracePage(
      sim,
      test,
      seed,
      options.html ?? join(dir, `${test.name}-seed${seed}.trace.html`),
      false,
      message,
    );
    return {
      htmlPath,
      test: test.name,
      seed,
      ok: false,
      error: message,
      tracePath,
      traceHash: sim.traceHash(),
      wallMs: performance.now() - started,
      replay,
    };
  }
}

/** A failing run's report: what failed, the replay command, the trace file and the hash. */
export function failureReport(r: LabRunResult): string {
  return [
    `Test${r.test} FAILED (seed=${r.seed}, hash=${r.traceHash}): ${r.error}`,
    `  replay: ${r.replay}`,
    `  trace:  ${r.tracePath}`,
    ...(r.htmlPath ? [`  viewer: ${r.htmlPath}`] : []),
  ].join('\n');
}
