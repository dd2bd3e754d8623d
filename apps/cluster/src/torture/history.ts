import type { KvInput, KvOutput } from '@raftkit/linearizability';

/**
 * One operation in @raftkit/linearizability's history format (model "kv"). Times are µs since
 * the run started. `return: null` means the outcome is unknown (a write that timed out or hit an
 * error: it may have applied at any time after its call, or never).
 */
export interface HistoryOp {
  client: number;
  input: KvInput;
  call: number;
  output?: KvOutput | null;
  return: number | null;
}

/**
 * Records operations as clients run them. A read that failed is dropped (it changed nothing);
 * a write that failed is kept with an unknown outcome, and its client id is retired: the next
 * operation of that worker gets a fresh client id, as a crashed Jepsen process does.
 */
export class HistoryRecorder {
  readonly ops: HistoryOp[] = [];
  private readonly origin = performance.now();
  private nextClient = 0;

  /** Microseconds since the recorder was made. */
  now(): number {
    return Math.round((performance.now() - this.origin) * 1000);
  }

  newClient(): number {
    return this.nextClient++;
  }

  /** Records the call; complete it with `ok`, `unknown` or `drop`. */
  begin(client: number, input: KvInput): PendingOp {
    const op: HistoryOp = { client, input, call: this.now(), return: null };
    this.ops.push(op);
    return {
      ok: (output) => {
        op.return = this.now();
        if (output !== undefined) op.output = output;
      },
      unknown: () => {
        op.return = null;
      },
      drop: () => {
        const i = this.ops.lastIndexOf(op);
        if (i >= 0) this.ops.splice(i, 1);
      },
    };
  }

  counts(): { total: number; ok: number; unknown: number } {
    let unknown = 0;
    for (const op of this.ops) if (op.return === null) unknown += 1;
    return { total: this.ops.length, ok: this.ops.length - unknown, unknown };
  }

  /** The history as @raftkit/linearizability's JSON format. */
  toJson(): { model: 'kv'; operations: HistoryOp[] } {
    return { model: 'kv', operations: this.ops };
  }
}

export interface PendingOp {
  ok(output?: KvOutput): void;
  unknown(): void;
  drop(): void;
}
