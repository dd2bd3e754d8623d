import { HttpRequestError } from '../errors/http-request-error.js';
import { type Agents, httpRequest } from '../client/http-request.js';
import { b64, prefixRangeEnd, unb64, type WireRangeResponse } from '../client/wire.js';

/** The outcome of one gateway call from a torture client. */
export type KvCallOutcome<T> =
  | { kind: 'ok'; value: T }
  /**
   * No reply or an error reply: for a write, it may or may not have applied, unless `definite`
   * (the connection was refused, so the request was never sent and nothing applied).
   */
  | { kind: 'failed'; reason: string; definite?: boolean };

async function call(
  agents: Agents,
  url: URL,
  path: string,
  body: object,
  timeoutMs: number,
): Promise<KvCallOutcome<string>> {
  try {
    const r = await httpRequest({
      agents,
      url,
      method: 'POST',
      path,
      body: Buffer.from(JSON.stringify(body)),
      timeoutMs,
    });
    if (r.status !== 200 || r.body.startsWith('{"error"')) {
      return { kind: 'failed', reason: `HTTP ${r.status} ${r.body.slice(0, 120)}` };
    }
    return { kind: 'ok', value: r.body };
  } catch (error) {
    const definite = HttpRequestError.isInstance(error) && error.failure === 'refused';
    return { kind: 'failed', reason: (error as Error).message, definite };
  }
}

export async function kvPut(
  agents: Agents,
  url: URL,
  key: string,
  value: string,
  timeoutMs: number,
): Promise<KvCallOutcome<null>> {
  const r = await call(agents, url, '/v3/kv/put', { key: b64(key), value: b64(value) }, timeoutMs);
  return r.kind === 'ok' ? { kind: 'ok', value: null } : r;
}

/** Linearizable get; a missing key reads as "" (the kv model's convention). */
export async function kvGet(
  agents: Agents,
  url: URL,
  key: string,
  timeoutMs: number,
): Promise<KvCallOutcome<string>> {
  const r = await call(agents, url, '/v3/kv/range', { key: b64(key) }, timeoutMs);
  if (r.kind !== 'ok') return r;
  try {
    const reply = JSON.parse(r.value) as WireRangeResponse;
    return { kind: 'ok', value: unb64(reply.kvs?.[0]?.value) };
  } catch {
    return { kind: 'failed', reason: `reply is not JSON: ${r.value.slice(0, 80)}` };
  }
}

/** Linearizable read of every key under `prefix`, as a map key → value. */
export async function kvGetPrefix(
  agents: Agents,
  url: URL,
  prefix: string,
  timeoutMs: number,
): Promise<KvCallOutcome<Map<string, string>>> {
  const r = await call(
    agents,
    url,
    '/v3/kv/range',
    { key: b64(prefix), range_end: prefixRangeEnd(prefix) },
    timeoutMs,
  );
  if (r.kind !== 'ok') return r;
  try {
    const reply = JSON.parse(r.value) as WireRangeResponse;
    return {
      kind: 'ok',
      value: new Map((reply.kvs ?? []).map((kv) => [unb64(kv.key), unb64(kv.value)])),
    };
  } catch {
    return { kind: 'failed', reason: `reply is not JSON: ${r.value.slice(0, 80)}` };
  }
}
