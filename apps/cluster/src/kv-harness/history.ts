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
  const callT = cfg.sim.clock.now();
  const output = await ck.get(key);
  const ret = microsNow(cfg);
  cfg.op();
  const logged = corrupted(log, output);
  traceOp(
    cfg,
    log,
    { client, kind: 'get', key, value: '', output: logged, call, return: ret },
    callT,
  );
  log?.append({ client, kind: 'get', key, value: '', output: logged, call, return: ret });
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
  const callT = cfg.sim.clock.now();
  await (kind === 'put' ? ck.put(key, value) : ck.append(key, value));
  const ret = microsNow(cfg);
  cfg.op();
  traceOp(cfg, log, { client, kind, key, value, output: '', call, return: ret }, callT);
  log?.append({ client, kind, key, value, output: '', call, return: ret });
}

/**
 * Test-only switch (never set in normal runs): RAFTKIT_TEST_CORRUPT_HISTORY=k records the k-th
 * logged Get of a run (k ≥ 1) with a value it did not read, so that the checker finds the history
 * illegal. It exercises the failure path end to end (history, visualisation, trace viewer)
 * without a bug in the server. The clerk's real result is returned unchanged.
 */
function corrupted(log: OpLog | undefined, output: string): string {
  const raw = process.env.RAFTKIT_TEST_CORRUPT_HISTORY;
  if (log === undefined || raw === undefined || raw === '') return output;
  const k = Number(raw);
  const gets = log.read().filter((o) => o.kind === 'get').length + 1;
  return gets === k ? `${output}<corrupted>` : output;
}

/**
 * Records a completed client operation in the simulation trace (the trace viewer draws it on its
 * clerk's lane): `op` is its index in the checked history (-1 when not logged), `callT` the
 * virtual ms of its call; the record's own time is its return.
 */
function traceOp(cfg: KvConfig, log: OpLog | undefined, op: KvOperation, callT: number): void {
  cfg.sim.trace(`clerk-${op.client}`, 'op', {
    op: log === undefined ? -1 : log.size,
    kind: op.kind,
    key: op.key,
    value: op.value,
    output: op.output,
    callT,
  });
}

/** Lab `check`: an unlogged Get that must return `expected`. */
export async function check(cfg: KvConfig, ck: Clerk, key: string, expected: string) {
  const v = await kvGet(cfg, ck, key);
  if (v !== expected) {
    fail('get-wrong-value', `Get(${JSON.stringify(key)}): expected:\n${expected}\nreceived:\n${v}`);
  }
}
