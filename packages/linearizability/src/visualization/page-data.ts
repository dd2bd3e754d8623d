import type { Annotation } from '../annotations.js';
import type { Model, Operation } from '../model.js';
import type { CheckResult } from '../result.js';
import { builtinPageModels } from './page-models.js';

/**
 * What the page embeds: per operation its client, times, and either its input and output (when
 * the page has the model, so it computes descriptions and states itself) or its description.
 * Per partition: operation numbers, the linearization (or longest prefix), the failure point and
 * the partial linearizations as a trie. Never a state per operation.
 */
export interface PageData {
  title: string;
  model: string;
  verdict: string;
  elapsedMs: number;
  /** The model as JavaScript source (see `builtinPageModels`), or null. */
  pageModel: string | null;
  ops: {
    client: number[];
    call: number[];
    /** -1: unknown outcome (no return). */
    ret: number[];
    input?: unknown[];
    /** null: unknown output. */
    output?: unknown[];
    text?: string[];
  };
  partitions: {
    key: string;
    verdict: string;
    reason: string | null;
    detail: string | null;
    ops: number[];
    lin: number[];
    failedAt: number;
    candidates: number[];
    states: string[];
    partial: { nodeOp: number[]; nodeParent: number[]; longest: number[] } | null;
  }[];
  annotations: Annotation[];
}

const json = (value: unknown): string =>
  value === undefined ? 'unknown' : (JSON.stringify(value) ?? String(value));

/** Collects the page's data for a checked history. */
export function pageData<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  result: CheckResult<S>,
  title: string,
  annotations: readonly Annotation[],
): PageData {
  const source = model.pageModel ?? builtinPageModels[model.name] ?? null;
  const n = operations.length;
  const client = new Array<number>(n);
  const call = new Array<number>(n);
  const ret = new Array<number>(n);
  const input = source ? new Array<unknown>(n) : undefined;
  const output = source ? new Array<unknown>(n) : undefined;
  const text = source ? undefined : new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const op = operations[i]!;
    client[i] = op.client;
    call[i] = op.call;
    ret[i] = op.return === null ? -1 : op.return;
    const out = op.return === null ? undefined : op.output;
    if (input && output) {
      input[i] = op.input;
      output[i] = out === undefined ? null : out;
    } else {
      text![i] = model.describeOperation
        ? model.describeOperation(op.input, out)
        : `${json(op.input)} → ${json(out)}`;
    }
  }
  const describeState = (s: S) => (model.describeState ? model.describeState(s) : json(s));
  return {
    title,
    model: model.name,
    verdict: result.verdict,
    elapsedMs: result.elapsedMs,
    pageModel: source,
    ops: { client, call, ret, ...(input ? { input, output } : { text }) },
    partitions: result.partitions.map((p) => ({
      key: p.key,
      verdict: p.verdict,
      reason: p.reason ?? null,
      detail: p.detail ?? null,
      ops: p.operations,
      lin: p.linearization,
      failedAt: p.failedAt,
      candidates: p.failedCandidates,
      states: p.states.slice(0, 8).map(describeState),
      partial: p.partial
        ? { nodeOp: p.partial.nodeOp, nodeParent: p.partial.nodeParent, longest: p.partial.longest }
        : null,
    })),
    annotations: [...annotations],
  };
}
