import { InvalidHistoryError } from '../errors/invalid-history-error.js';
import type { Operation } from '../model.js';
import type { EtcdInput, EtcdOutput } from '../models/etcd.js';

/** A parsed text log: the model it is for and its operations (times are event positions). */
export interface ParsedLog<I, O> {
  model: string;
  operations: Operation<I, O>[];
}

const PREFIX = /jepsen\.util\s+-\s+/;

function integer(text: string | undefined, line: number, what: string): number {
  if (text === undefined || !/^\d+$/.test(text)) {
    throw new InvalidHistoryError({
      line,
      field: what,
      message: `line ${line}: ${what} must be a non-negative integer, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`,
    });
  }
  return Number(text);
}

/**
 * Parses a Jepsen etcd log (`INFO  jepsen.util - <process> <type> <f> <value>`) as porcupine's
 * `parseJepsenLog` does: `:invoke` calls, `:ok`/`:fail` returns, `:info` leaves the operation open
 * (unknown outcome: it may take effect at any time after its call, or never), and
 * `:fail :read :timed-out` returns with an unknown output. Times are event positions. Lines
 * without `jepsen.util -` are ignored; a Jepsen line that cannot be parsed throws
 * `InvalidHistoryError` naming the line.
 */
export function parseJepsenLog(text: string): ParsedLog<EtcdInput, EtcdOutput> {
  const operations: Operation<EtcdInput, EtcdOutput>[] = [];
  const open = new Map<number, Operation<EtcdInput, EtcdOutput>>();
  const lines = text.split('\n');
  let time = 0;
  let ignored = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const found = PREFIX.exec(raw);
    if (found === null) {
      ignored++;
      continue;
    }
    const fields = raw.slice(found.index + found[0].length).split(/\s+/);
    const fail = (message: string): never => {
      throw new InvalidHistoryError({ line, message: `line ${line}: ${message}` });
    };
    const process = integer(fields[0], line, 'process');
    const type = fields[1];
    const f = fields[2];
    const value = fields.slice(3).join(' ');
    if (f !== ':read' && f !== ':write' && f !== ':cas') {
      fail(`unknown function ${JSON.stringify(f ?? '')}; expected :read, :write or :cas`);
    }
    const pair = (): [number, number] => {
      const m = /^\[(\d+)\s+(\d+)\]$/.exec(value);
      if (m === null) return fail(`cas value must look like [A B], got ${JSON.stringify(value)}`);
      return [Number(m[1]), Number(m[2])];
    };
    if (type === ':invoke') {
      if (open.has(process))
        fail(`process ${process} invokes while its previous operation is open`);
      let input: EtcdInput;
      if (f === ':read') input = { op: 'read' };
      else if (f === ':write') input = { op: 'write', value: integer(value, line, 'value') };
      else {
        const [from, to] = pair();
        input = { op: 'cas', from, to };
      }
      const op: Operation<EtcdInput, EtcdOutput> = {
        client: process,
        input,
        call: time++,
        return: null,
      };
      operations.push(op);
      open.set(process, op);
      continue;
    }
    if (type !== ':ok' && type !== ':fail' && type !== ':info') {
      fail(
        `unknown event type ${JSON.stringify(type ?? '')}; expected :invoke, :ok, :fail or :info`,
      );
    }
    const op = open.get(process);
    if (op === undefined) return fail(`process ${process} completes an operation it never invoked`);
    if (`:${op.input.op}` !== f)
      fail(`process ${process} invoked :${op.input.op} but completes ${f}`);
    open.delete(process);
    if (type === ':info') continue; // outcome unknown: the operation stays open to the end
    if (f === ':read') {
      if (type === ':fail') {
        op.return = time++; // :fail :read :timed-out: returned, output unknown
        continue;
      }
      op.output = { value: value === 'nil' ? null : integer(value, line, 'value') };
    } else if (f === ':write') {
      if (type === ':fail') continue; // porcupine ignores it: the write stays open
      op.output = {};
    } else {
      pair();
      op.output = { ok: type === ':ok' };
    }
    op.return = time++;
  }
  if (operations.length === 0 && ignored > 0) {
    throw new InvalidHistoryError({
      line: 1,
      message:
        'line 1: no Jepsen events found (expected lines like "INFO  jepsen.util - 0\t:invoke\t:read\tnil")',
    });
  }
  return { model: 'etcd', operations };
}
