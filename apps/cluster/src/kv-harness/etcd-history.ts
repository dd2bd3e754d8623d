import type { Clerk } from '@raftkit/clerk';
import { CompareResult, CompareTarget } from '@raftkit/kv-protocol';
import type { EtcdKvInput, EtcdKvOutput, Operation } from '@raftkit/linearizability';
import type { KvConfig } from './config.js';
import { microsNow } from './history.js';

/**
 * Timed, counted and recorded etcd-model operations through a clerk, for the etcd scenarios:
 * the history is the checker's `etcdKvModel` form. Call times are 1 µs after now, as in
 * history.ts (the same argument keeps real-time order and soundness).
 */
export class EtcdOpLog {
  readonly ops: Operation<EtcdKvInput, EtcdKvOutput>[] = [];

  constructor(private readonly cfg: KvConfig) {}

  private async record<O extends EtcdKvOutput>(
    client: number,
    input: EtcdKvInput,
    run: () => Promise<O>,
  ): Promise<O> {
    const call = microsNow(this.cfg) + 1;
    const output = await run();
    this.cfg.op();
    this.ops.push({ client, input, call, output, return: microsNow(this.cfg) });
    return output;
  }

  get(client: number, ck: Clerk, key: string): Promise<{ value: string | null }> {
    return this.record(client, { op: 'get', key }, async () => {
      const r = await ck.range(key);
      const kv = r.kvs[0];
      return { value: kv === undefined ? null : text(kv.value) };
    });
  }

  put(client: number, ck: Clerk, key: string, value: string): Promise<EtcdKvOutput> {
    return this.record(client, { op: 'put', key, value }, async () => {
      await ck.put(key, value);
      return {};
    });
  }

  delete(client: number, ck: Clerk, key: string, prefix: boolean): Promise<{ deleted: number }> {
    return this.record(client, { op: 'delete', key, prefix }, async () => {
      const r = await ck.delete(key, { prefix });
      return { deleted: r.deleted };
    });
  }

  range(client: number, ck: Clerk, prefix: string): Promise<{ kvs: [string, string][] }> {
    return this.record(client, { op: 'range', prefix }, async () => {
      const r = await ck.range(prefix, { prefix: true });
      return { kvs: r.kvs.map((kv) => [text(kv.key), text(kv.value)] as [string, string]) };
    });
  }

  /** If `key` holds `expect` (null: absent), set it to `value` (null: delete) — one txn. */
  cas(
    client: number,
    ck: Clerk,
    key: string,
    expect: string | null,
    value: string | null,
  ): Promise<{ ok: boolean }> {
    return this.record(client, { op: 'cas', key, expect, value }, async () => {
      const compare =
        expect === null
          ? { key, target: CompareTarget.VERSION, result: CompareResult.EQUAL, version: 0 }
          : { key, target: CompareTarget.VALUE, result: CompareResult.EQUAL, value: expect };
      const write =
        value === null ? { op: 'deleteRange' as const, key } : { op: 'put' as const, key, value };
      const r = await ck.txn({ compare: [compare], success: [write] });
      return { ok: r.succeeded };
    });
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });
function text(b: Uint8Array): string {
  return decoder.decode(b);
}
