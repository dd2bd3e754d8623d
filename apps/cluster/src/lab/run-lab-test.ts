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

/** Formats the lab's per-test summary line, plus the seed. */
export function summaryLine(s: LabSummary, seed: number): string {
  return `  ... Passed --  time ${s.seconds.toFixed(1).padStart(5)}s  #peers ${s.peers}  #RPCs ${String(s.rpcs).padStart(5)}  #bytes ${String(s.bytes).padStart(8)}  #Ops ${String(s.ops).padStart(4)}  seed=${seed}`;
}

export interface LabRunOptions {
  /** Trace every delivered message too (the viewer's arrows); default: env RAFTKIT_LOG. */
  traceDeliveries?: boolean;
  /** Trace records kept (default 200,000). */
  traceCapacity?: number;
  /** Write the trace viewer page here whether the run passes or fails. */
  html?: string;
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
  options: LabRunOptions = {},
): Promise<LabRunResult> {
  const sim = new Simulation({
    seed,
    ...(options.traceDeliveries === undefined ? {} : { traceDeliveries: options.traceDeliveries }),
    ...(options.traceCapacity === undefined ? {} : { traceCapacity: options.traceCapacity }),
  });
  const started = performance.now();
  const replay = replayCommand(test.name, seed);
  try {
    const summary = await sim.run(() => test.body(sim), { maxVirtualMs: 180_000 });
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

/** A failing run's report: what failed, the replay command, the trace file. */
export function failureReport(r: LabRunResult): string {
  return [
    `Test${r.test} FAILED (seed=${r.seed}): ${r.error}`,
    `  replay: ${r.replay}`,
    `  trace:  ${r.tracePath}`,
    ...(r.htmlPath ? [`  viewer: ${r.htmlPath}`] : []),
  ].join('\n');
}
