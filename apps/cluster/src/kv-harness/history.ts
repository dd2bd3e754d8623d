import type { Clerk } from '@raftkit/clerk';
import type { KvConfig } from './config.js';
import { fail } from './fail.js';

/** One completed client operation. Times are integer virtual microseconds since the run began. */
export interface KvOperation {
  client: number;
  kind: 'get' | 'put' | 'append';
  key: string;
  /** The argument of put/append ("" for get). */
  value: string;
  /** What get returned ("" for put/append). */
  output: string;
  call: number;
  return: number;
}

/** The lab's OpLog: every logged operation of a test, in completion order. */
export class OpLog {
  private readonly ops: KvOperation[] = [];

  append(op: KvOperation): void {
    this.ops.push(op);
  }

  read(): readonly KvOperation[] {
    return this.ops;
  }

  get size(): number {
    return this.ops.length;
  }
}

/** Virtual time as an integer number of microseconds (the checker wants integers). */
export function microsNow(cfg: KvConfig): number {
  return Math.round(cfg.sim.clock.now() * 1000);
}

/**
 * The recorded call time: one microsecond after now. In virtual time a client often calls its
 * next operation at the very instant the previous one returned; the checker orders calls
 * before returns on equal times, which would make them concurrent and weaken the check. Moving
 * calls 1 µs later keeps real-time order and is sound: every hop takes ≥ 0.2 ms (SimNetwork
 * latency), so an operation takes effect ≥ 200 µs after its call and ≥ 200 µs before its return.
 */
function callMicros(cfg: KvConfig): number {
  return microsNow(cfg) + 1;
}

/** Lab `Get`: calls the clerk, counts the op, logs it when `log` is given. */
export async function kvGet(
  cfg: KvConfig,
  ck: Clerk,
  key: string,
  log?: OpLog,
  client = -1,
): Promise<string> {
  const call = callMicros(cfg);
  const output = await ck.get(key);
  const ret = microsNow(cfg);
  cfg.op();
  log?.append({ client, kind: 'get', key, value: '', output, call, return: ret });
  return output;
}

/** Lab `Put`. */
export function kvPut(
  cfg: KvConfig,
  ck: Clerk,
  key: string,
  value: string,
  log?: OpLog,
  client = -1,
) {
  return kvWrite('put', cfg, ck, key, value, log, client);
}

/** Lab `Append`. */
export function kvAppend(
  cfg: KvConfig,
  ck: Clerk,
  key: string,
  value: string,
  log?: OpLog,
  client = -1,
) {
  return kvWrite('append', cfg, ck, key, value, log, client);
}

/** A timed, counted and (with `log`) recorded Put or Append. */
async function kvWrite(
  kind: 'put' | 'append',
  cfg: KvConfig,
  ck: Clerk,
  key: string,
  value: string,
  log: OpLog | undefined,
  client: number,
): Promise<void> {
  const call = callMicros(cfg);
  await (kind === 'put' ? ck.put(key, value) : ck.append(key, value));
  const ret = microsNow(cfg);
  cfg.op();
  log?.append({ client, kind, key, value, output: '', call, return: ret });
}

/** Lab `check`: an unlogged Get that must return `expected`. */
export async function check(cfg: KvConfig, ck: Clerk, key: string, expected: string) {
  const v = await kvGet(cfg, ck, key);
  if (v !== expected) {
    fail('get-wrong-value', `Get(${JSON.stringify(key)}): expected:\n${expected}\nreceived:\n${v}`);
  }
}
