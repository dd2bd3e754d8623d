import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type CheckResult,
  checkOperations,
  type KvInput,
  type KvOutput,
  kvModel,
  type Operation,
  renderVisualization,
} from '@raftkit/linearizability';
import { fail } from './fail.js';
import type { KvOperation } from './history.js';
import type { KvTestContext } from './run.js';

/**
 * The checker's budget in real (wall) milliseconds. The lab allows 1 s and counts a time-out as
 * a pass; raftkit allows more but counts a time-out (verdict `unknown`) as a failure, so a run
 * that times out is reported, never silently passed. Override with RAFTKIT_CHECK_TIMEOUT_MS.
 */
export function checkTimeoutMs(): number {
  const raw = process.env.RAFTKIT_CHECK_TIMEOUT_MS;
  const n = raw === undefined || raw === '' ? 10_000 : Number(raw);
  if (!(n > 0)) throw new Error(`RAFTKIT_CHECK_TIMEOUT_MS must be a positive number, got "${raw}"`);
  return n;
}

/** The tester's log in the checker's operation form (kv model input and output). */
export function toCheckerOperations(ops: readonly KvOperation[]): Operation<KvInput, KvOutput>[] {
  return ops.map((o) => ({
    client: o.client,
    input:
      o.kind === 'get' ? { op: 'get', key: o.key } : { op: o.kind, key: o.key, value: o.value },
    call: o.call,
    output: o.kind === 'get' ? { value: o.output } : {},
    return: o.return,
  }));
}

/** The history as the checker's documented JSON ({"model": "kv", "operations": [...]}). */
export function historyJson(ops: readonly Operation<KvInput, KvOutput>[]): string {
  const lines = ops.map((o) => JSON.stringify(o));
  return `{"model": "kv", "operations": [\n${lines.join(',\n')}\n]}\n`;
}

function write(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/**
 * Checker statistics of this process (reports only): how close the checks come to the budget.
 * `last` is the most recent check, reset by the runner before each run.
 */
export const checkerStats = {
  checks: 0,
  maxMs: 0,
  maxOps: 0,
  last: undefined as { ms: number; ops: number } | undefined,
};

export interface KvCheckSummary {
  verdict: CheckResult<string>['verdict'];
  operations: number;
  partitions: number;
  elapsedMs: number;
}

/**
 * The final check of every GenericTest: the whole history against the kv model. `illegal`
 * writes the history JSON and the HTML visualisation and fails naming both; `unknown`
 * (checker time-out or cache bound) writes the history and fails too.
 */
export async function checkKvHistory(
  ctx: KvTestContext,
  log: readonly KvOperation[],
): Promise<KvCheckSummary> {
  const operations = toCheckerOperations(log);
  const timeoutMs = checkTimeoutMs();
  const result = checkOperations(kvModel, operations, { timeoutMs });
  checkerStats.checks += 1;
  checkerStats.maxMs = Math.max(checkerStats.maxMs, result.elapsedMs);
  checkerStats.maxOps = Math.max(checkerStats.maxOps, result.operations);
  checkerStats.last = { ms: result.elapsedMs, ops: result.operations };
  const summary: KvCheckSummary = {
    verdict: result.verdict,
    operations: result.operations,
    partitions: result.partitions.length,
    elapsedMs: result.elapsedMs,
  };
  // For the trace viewer: the verdict, and which operations (history indices) it concerns.
  ctx.sim.trace('kv-tester', 'linearizability', {
    verdict: result.verdict,
    illegal: result.partitions.filter((p) => p.verdict === 'illegal').flatMap((p) => p.operations),
    failedAt: result.partitions.filter((p) => p.failedAt >= 0).map((p) => p.failedAt),
  });
  const line =
    `  linearizability: ${result.verdict}, ${result.operations} ops in ` +
    `${result.partitions.length} keys, checked in ${result.elapsedMs.toFixed(0)} ms wall`;
  if (!ctx.quiet || result.verdict !== 'ok') console.log(line);
  if (result.verdict === 'ok') return summary;

  const historyPath = write(`${ctx.artifactBase}.history.json`, historyJson(operations));
  if (result.verdict === 'illegal') {
    const html = renderVisualization(kvModel, operations, result, {
      title: `${ctx.testName} seed=${ctx.seed}`,
    });
    const htmlPath = write(`${ctx.artifactBase}.html`, html);
    const bad = result.partitions
      .filter((p) => p.verdict === 'illegal')
      .map((p) => JSON.stringify(p.key))
      .join(', ');
    fail(
      'not-linearizable',
      `history is not linearizable (keys ${bad}); visualisation: ${htmlPath}; history: ${historyPath}`,
    );
  }
  const reasons = [
    ...new Set(result.partitions.filter((p) => p.verdict === 'unknown').map((p) => p.reason)),
  ].join(', ');
  fail(
    'checker-timeout',
    `linearizability check undecided (${reasons}) after ${result.elapsedMs.toFixed(0)} ms ` +
      `(budget ${timeoutMs} ms): raftkit counts this as a failure; history: ${historyPath}`,
  );
}
