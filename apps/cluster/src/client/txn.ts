import { InvalidArgumentError } from '@raftkit/core';
import type { GatewayClient } from './gateway-client.js';
import { decodeHeader, decodeKeyValue, type Header, type KeyValue } from './kv.js';
import { b64, type WireTxnResponse } from './wire.js';

/** What must hold of the key for the swap to happen. */
export type CasCondition =
  | { kind: 'value'; value: string }
  | { kind: 'version'; version: number }
  | { kind: 'mod-revision'; revision: number }
  | { kind: 'create-revision'; revision: number }
  /** The key does not exist (its create revision is 0). */
  | { kind: 'absent' };

export interface CasResult {
  succeeded: boolean;
  header: Header;
  /** When the compare failed: the key as it is now (absent when it does not exist). */
  current?: KeyValue;
}

function compareOf(key: string, condition: CasCondition): Record<string, unknown> {
  const k = b64(key);
  const revision = (name: string, value: number) => {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InvalidArgumentError({
        argument: name,
        message: `${name} must be a non-negative integer, got ${String(value)}`,
      });
    }
    return String(value);
  };
  switch (condition.kind) {
    case 'value':
      return { key: k, target: 'VALUE', result: 'EQUAL', value: b64(condition.value) };
    case 'version':
      return {
        key: k,
        target: 'VERSION',
        result: 'EQUAL',
        version: revision('version', condition.version),
      };
    case 'mod-revision':
      return {
        key: k,
        target: 'MOD',
        result: 'EQUAL',
        mod_revision: revision('mod-revision', condition.revision),
      };
    case 'create-revision':
      return {
        key: k,
        target: 'CREATE',
        result: 'EQUAL',
        create_revision: revision('create-revision', condition.revision),
      };
    case 'absent':
      return { key: k, target: 'CREATE', result: 'EQUAL', create_revision: '0' };
  }
}

/**
 * A compare-and-swap as one etcd transaction (POST /v3/kv/txn): if `condition` holds, put
 * `value` at `key`; otherwise read the key, so the caller sees what it is now.
 */
export async function compareAndSwap(
  client: GatewayClient,
  key: string,
  condition: CasCondition,
  value: string,
): Promise<CasResult> {
  if (typeof key !== 'string' || key === '') {
    throw new InvalidArgumentError({
      argument: 'key',
      message: 'a key must be a non-empty string',
    });
  }
  const reply = await client.post<WireTxnResponse>('/v3/kv/txn', {
    compare: [compareOf(key, condition)],
    success: [{ request_put: { key: b64(key), value: b64(value) } }],
    failure: [{ request_range: { key: b64(key) } }],
  });
  const succeeded = reply.succeeded === true;
  const kv = succeeded ? undefined : reply.responses?.[0]?.response_range?.kvs?.[0];
  return {
    succeeded,
    header: decodeHeader(reply.header),
    ...(kv ? { current: decodeKeyValue(kv) } : {}),
  };
}
