import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Simulation } from '@raftkit/labrpc';
import type { LabSummary, LabTest } from './lab-test.js';

export interface LabRunResult {
  test: string;
  seed: number;
  ok: boolean;
  summary?: LabSummary;
  error?: string;
  /** Where the failing run's trace was written. */
  tracePath?: string;
  traceHash: string;
  wallMs: number;
  /** The command that replays this run exactly. */
  replay: string;
}

/** Directory for failure traces: RAFTKIT_TRACE_DIR, else apps/cluster/traces. */
export function traceDir(): string {
  if (process.env.RAFTKIT_TRACE_DIR) return resolve(process.env.RAFTKIT_TRACE_DIR);
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'traces');
}

export function replayCommand(test: string, seed: number): string {
  return `(cd apps/cluster && SEED=${seed} npx vitest run -t 'Test${test}$')`;
}

/**
 * Formats the lab's per-test summary line (`time` is virtual seconds), plus the
 * seed, the linearizability verdict when the test checked a history, and the
 * wall-clock time when known.
 */
export function summaryLine(s: LabSummary, seed: number, wallMs?: number): string {
  const lin =
    s.linearizability === undefined
      ? ''
      : `  linearizable=${s.linearizability.verdict}(${s.linearizability.operations} ops)`;
  const wall = wallMs === undefined ? '' : `  wall=${(wallMs / 1000).toFixed(2)}s`;
  return `  ... Passed --  time ${s.seconds.toFixed(1).padStart(5)}s  #peers ${s.peers}  #RPCs ${String(s.rpcs).padStart(5)}  #bytes ${String(s.bytes).padStart(8)}  #Ops ${String(s.ops).padStart(4)}  seed=${seed}${lin}${wall}`;
}

/**
 * Runs one lab test on a fresh simulation from `seed`. Never throws: a
 * failure comes back with its message, trace file and replay command.
 */
export async function runLabTest(test: LabTest, seed: number): Promise<LabRunResult> {
  const sim = new Simulation({ seed });
  const started = performance.now();
  const replay = replayCommand(test.name, seed);
  try {
    const summary = await sim.run(() => test.body(sim), { maxVirtualMs: 180_000 });
    return {
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
    });
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
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

/** A failing run's report: what failed, the replay command, the trace file. */
export function failureReport(r: LabRunResult): string {
  return [
    `Test${r.test} FAILED (seed=${r.seed}): ${r.error}`,
    `  replay: ${r.replay}`,
    `  trace:  ${r.tracePath}`,
  ].join('\n');
}
