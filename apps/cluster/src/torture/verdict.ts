import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkOperations,
  type KvInput,
  type KvOutput,
  kvModel,
  type Operation,
  renderVisualization,
} from '@raftkit/linearizability';
import type { HistoryOp } from './history.js';

export interface LinearizabilityOutcome {
  verdict: 'ok' | 'illegal' | 'unknown';
  /** For illegal: the key of the first failing partition. */
  failingKey?: string;
  /** For unknown: why the checker gave up (`timeout`, `cache-limit`, …) and on which key. */
  unknownReason?: string;
  checkMs: number;
  htmlPath?: string;
}

/**
 * Checks the history against the kv model (partitioned per key). On an illegal or undecided
 * verdict writes `history.html` (the visualisation) into `outDir`.
 */
export function checkHistory(
  ops: readonly HistoryOp[],
  outDir: string,
  timeoutMs: number,
): LinearizabilityOutcome {
  const started = performance.now();
  const operations: Operation<KvInput, KvOutput>[] = ops.map((op) => ({
    client: op.client,
    input: op.input,
    call: op.call,
    output: op.return === null ? undefined : (op.output ?? {}),
    return: op.return,
  }));
  const result = checkOperations(kvModel, operations, { timeoutMs });
  const checkMs = Math.round(performance.now() - started);
  if (result.verdict === 'ok') return { verdict: 'ok', checkMs };
  const htmlPath = join(outDir, 'history.html');
  writeFileSync(
    htmlPath,
    renderVisualization(kvModel, operations, result, { title: 'raftkit torture' }),
  );
  const bad = result.partitions.find((p) => p.verdict === 'illegal');
  const undecided = result.partitions.find((p) => p.verdict === 'unknown');
  return {
    verdict: result.verdict,
    checkMs,
    htmlPath,
    ...(bad ? { failingKey: bad.key } : {}),
    ...(undecided
      ? { unknownReason: `${undecided.reason ?? 'unknown'} on key ${undecided.key}` }
      : {}),
  };
}

/** Acknowledged fresh writes that the final read did not return (or returned with another value). */
export function missingAcknowledged(
  acked: ReadonlyMap<string, string>,
  finalRead: ReadonlyMap<string, string>,
): { key: string; expected: string; found: string | undefined }[] {
  const out: { key: string; expected: string; found: string | undefined }[] = [];
  for (const [key, expected] of acked) {
    const found = finalRead.get(key);
    if (found !== expected) out.push({ key, expected, found });
  }
  return out;
}
