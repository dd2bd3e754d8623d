import { equalValue } from '../hash.js';
import { ILLEGAL, type Model, type Operation } from '../model.js';
import type { CheckResult, PartitionResult } from '../result.js';

/** Geometry and text of one operation bar. Times are ranks on the partition's own axis. */
export interface BarView {
  op: number;
  client: number;
  row: number;
  start: number;
  /** End rank; an unknown return ends at the axis end. */
  end: number;
  open: boolean;
  kind: 'linearized' | 'candidate' | 'blocker' | 'other';
  /** 1-based position in the linearization (or longest prefix); 0 when not placed. */
  order: number;
  text: string;
  input: string;
  output: string;
  state: string;
}

export interface PartitionView {
  index: number;
  key: string;
  verdict: PartitionResult<unknown>['verdict'];
  reason: string | undefined;
  clients: number[];
  ranks: number;
  bars: BarView[];
  placed: number;
  total: number;
  /** Rank of the failure point (the return that could not be honoured), or -1. */
  failRank: number;
  failText: string;
  states: string[];
}

const json = (value: unknown): string =>
  value === undefined ? 'unknown' : (JSON.stringify(value) ?? String(value));

/** Lays out every partition of a checked history for the HTML page. */
export function layoutPartitions<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  result: CheckResult<S>,
): PartitionView[] {
  const describeState = (s: S) => (model.describeState ? model.describeState(s) : json(s));
  const describeOp = (op: Operation<I, O>) => {
    const output = op.return === null ? undefined : op.output;
    return model.describeOperation
      ? model.describeOperation(op.input, output)
      : `${json(op.input)} → ${json(output)}`;
  };
  return result.partitions.map((part) => {
    const ops = part.operations;
    const times = new Set<number>();
    for (const i of ops) {
      times.add(operations[i]!.call);
      const r = operations[i]!.return;
      if (r !== null) times.add(r);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const rank = new Map(sorted.map((t, k) => [t, k] as const));
    const ranks = sorted.length + 1; // the last column holds unknown returns
    const clients = [...new Set(ops.map((i) => operations[i]!.client))].sort((a, b) => a - b);
    const rowOf = new Map(clients.map((c, k) => [c, k] as const));

    // Replay the linearization (or the longest prefix) to get the state after each operation.
    const order = new Map<number, number>();
    const after = new Map<number, string>();
    let state = model.init();
    part.linearization.forEach((i, k) => {
      order.set(i, k + 1);
      const op = operations[i]!;
      const next = model.step(state, op.input, op.return === null ? undefined : op.output);
      if (next !== ILLEGAL) state = next as S;
      after.set(i, describeState(state));
    });
    const candidates = new Set(part.failedCandidates);
    const bars = ops.map((i): BarView => {
      const op = operations[i]!;
      const kind = order.has(i)
        ? 'linearized'
        : i === part.failedAt
          ? 'blocker'
          : candidates.has(i)
            ? 'candidate'
            : 'other';
      return {
        op: i,
        client: op.client,
        row: rowOf.get(op.client)!,
        start: rank.get(op.call)!,
        end: op.return === null ? ranks : rank.get(op.return)!,
        open: op.return === null,
        kind,
        order: order.get(i) ?? 0,
        text: describeOp(op),
        input: json(op.input),
        output: op.return === null ? 'unknown (no return)' : json(op.output),
        state:
          after.get(i) ?? (kind === 'other' ? 'not linearized' : 'could not be linearized here'),
      };
    });
    const failOp = part.failedAt >= 0 ? operations[part.failedAt]! : undefined;
    const failRank =
      failOp === undefined ? -1 : failOp.return === null ? ranks : rank.get(failOp.return)!;
    const distinct: S[] = [];
    for (const s of part.states)
      if (!distinct.some((d) => (model.equal ?? equalValue)(d, s))) distinct.push(s);
    return {
      index: part.index,
      key: part.key,
      verdict: part.verdict,
      reason: part.reason,
      clients,
      ranks,
      bars,
      placed: part.linearization.length,
      total: ops.length,
      failRank,
      failText: failOp === undefined ? '' : `operation ${part.failedAt}: ${describeOp(failOp)}`,
      states: distinct.map(describeState),
    };
  });
}
