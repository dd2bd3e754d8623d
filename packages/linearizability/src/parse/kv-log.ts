import { InvalidHistoryError } from '../errors/invalid-history-error.js';
import type { Operation } from '../model.js';
import type { KvInput, KvOutput } from '../models/kv.js';
import type { ParsedLog } from './jepsen-log.js';

const EVENT =
  /^\{:process (\d+), :type :([a-z]+), :f :([a-z]+), :key "(.*?)", :value (?:nil|"(.*)")\}$/;

/**
 * Parses a key/value lab log (EDN maps as in porcupine's `test_data/kv`):
 * `{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}`. An `:invoke` is a call;
 * an `:ok` is its return (a get's output is the value read). `:info` leaves the operation open
 * (unknown outcome); `:fail` drops it (it did not happen). As in porcupine, an operation still
 * open at the end of the file returns there with output "". Times are event positions.
 * Throws `InvalidHistoryError` naming the line of anything else.
 */
export function parseKvLog(text: string): ParsedLog<KvInput, KvOutput> {
  const reader = new KvLogReader();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) reader.line(lines[i]!, i + 1);
  return reader.end();
}

/** `parseKvLog` fed one line at a time (for streaming large files). */
export class KvLogReader {
  private readonly operations: (Operation<KvInput, KvOutput> | undefined)[] = [];
  private readonly open = new Map<number, number>();
  private time = 0;

  line(text: string, line: number): void {
    const { operations, open } = this;
    const raw = text.trim();
    if (raw === '') return;
    const fail = (message: string): never => {
      throw new InvalidHistoryError({ line, message: `line ${line}: ${message}` });
    };
    const m = EVENT.exec(raw);
    if (m === null) {
      fail(
        'not a kv event; expected {:process P, :type :invoke|:ok, :f :get|:put|:append, :key "K", :value nil|"V"}',
      );
      return;
    }
    const process = Number(m[1]);
    const type = m[2]!;
    const f = m[3]!;
    const key = m[4]!;
    const value = m[5];
    if (f !== 'get' && f !== 'put' && f !== 'append') fail(`unknown function :${f}`);
    if (type === 'invoke') {
      if (open.has(process))
        fail(`process ${process} invokes while its previous operation is open`);
      if (f !== 'get' && value === undefined) fail(`:${f} needs a string :value`);
      const input: KvInput =
        f === 'get' ? { op: 'get', key } : { op: f as 'put' | 'append', key, value: value! };
      open.set(process, operations.length);
      operations.push({ client: process, input, call: this.time++, return: null });
      return;
    }
    if (type !== 'ok' && type !== 'fail' && type !== 'info') {
      fail(`unknown event type :${type}; expected :invoke, :ok, :fail or :info`);
    }
    const index = open.get(process);
    if (index === undefined) {
      fail(`process ${process} completes an operation it never invoked`);
      return;
    }
    const op = operations[index]!;
    if (op.input.op !== f || op.input.key !== key) {
      fail(
        `process ${process} invoked :${op.input.op} of key "${op.input.key}" but completes :${f} of key "${key}"`,
      );
    }
    open.delete(process);
    if (type === 'info') return;
    if (type === 'fail') {
      operations[index] = undefined;
      return;
    }
    if (f === 'get' && value === undefined) fail('a completed :get needs a string :value');
    op.output = f === 'get' ? { value: value! } : {};
    op.return = this.time++;
  }

  end(): ParsedLog<KvInput, KvOutput> {
    // porcupine quirk: an operation open at the end returns there with output "".
    const end = this.time;
    for (const index of this.open.values()) {
      const op = this.operations[index]!;
      op.output = op.input.op === 'get' ? { value: '' } : {};
      op.return = end;
    }
    return { model: 'kv', operations: this.operations.filter((op) => op !== undefined) };
  }
}
