import { bytesProblem } from './bytes.js';
import { MAX_CLIENT_ID_LENGTH, MAX_TXN_DEPTH, type RequestLimits } from './limits.js';

/**
 * Structural checks of requests taken off the network: nothing about their
 * shape is trusted. Each returns a message naming what is wrong, or undefined
 * when the request is well-formed. etcd's own rules (empty key, txn limits,
 * duplicate keys) are in `etcdProblem`.
 */

/** Checks a clerk's client id. */
export function clientIdProblem(clientId: unknown): string | undefined {
  if (
    typeof clientId !== 'string' ||
    clientId.length === 0 ||
    clientId.length > MAX_CLIENT_ID_LENGTH
  ) {
    return `clientId must be a non-empty string of at most ${MAX_CLIENT_ID_LENGTH} characters`;
  }
  return undefined;
}

function idProblem(a: Record<string, unknown>, anonymousAllowed: boolean): string | undefined {
  if (anonymousAllowed && a.clientId === '' && a.seq === 0) return undefined;
  const id = clientIdProblem(a.clientId);
  if (id !== undefined) return id;
  if (typeof a.seq !== 'number' || !Number.isSafeInteger(a.seq) || a.seq < 1)
    return 'seq must be an integer ≥ 1';
  return undefined;
}

/** Checks a lab Get (`withValue: false`) or Put/Append (`withValue: true`). */
export function requestProblem(
  args: unknown,
  withValue: boolean,
  limits: RequestLimits,
): string | undefined {
  if (typeof args !== 'object' || args === null) return 'request must be an object';
  const a = args as Record<string, unknown>;
  return (
    idProblem(a, false) ??
    bytesProblem('key', a.key, limits.maxKeyBytes) ??
    (withValue ? bytesProblem('value', a.value, limits.maxValueBytes) : undefined)
  );
}

/** Checks `Execute` arguments: the request id (or the anonymous "", 0) and the request. */
export function executeProblem(args: unknown, limits: RequestLimits): string | undefined {
  if (typeof args !== 'object' || args === null) return 'request must be an object';
  const a = args as Record<string, unknown>;
  return idProblem(a, true) ?? kvRequestProblem(a.request, limits);
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Uint8Array);

function intProblem(o: Record<string, unknown>, field: string): string | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    return `${field} must be an integer, got ${typeof v === 'number' ? v : typeof v}`;
  return undefined;
}

function boolProblem(o: Record<string, unknown>, field: string): string | undefined {
  const v = o[field];
  if (v === undefined || typeof v === 'boolean') return undefined;
  return `${field} must be a boolean`;
}

function optionalBytes(o: Record<string, unknown>, field: string, max: number) {
  return o[field] === undefined ? undefined : bytesProblem(field, o[field], max);
}

function enumProblem(
  o: Record<string, unknown>,
  field: string,
  max: number,
  anyInt = false,
): string | undefined {
  const problem = intProblem(o, field);
  if (problem !== undefined || o[field] === undefined || anyInt) return problem;
  const v = o[field] as number;
  if (v < 0 || v > max) return `${field} ${v} is not a known value (0..${max})`;
  return undefined;
}

function first(...checks: (() => string | undefined)[]): string | undefined {
  for (const c of checks) {
    const p = c();
    if (p !== undefined) return p;
  }
  return undefined;
}

/** Checks one KvRequest (any `op`), recursively for txns. */
export function kvRequestProblem(
  request: unknown,
  limits: RequestLimits,
  depth = 0,
): string | undefined {
  if (!isObject(request)) return 'request must be an object with an op';
  const r = request;
  const key = () => bytesProblem('key', r.key, limits.maxKeyBytes);
  const rangeEnd = () => optionalBytes(r, 'rangeEnd', limits.maxKeyBytes);
  switch (r.op) {
    case 'range':
      return first(
        key,
        rangeEnd,
        ...[
          'limit',
          'revision',
          'minModRevision',
          'maxModRevision',
          'minCreateRevision',
          'maxCreateRevision',
        ].map((f) => () => intProblem(r, f)),
        () => enumProblem(r, 'sortOrder', 2, true),
        () => enumProblem(r, 'sortTarget', 4),
        ...['serializable', 'keysOnly', 'countOnly'].map((f) => () => boolProblem(r, f)),
      );
    case 'put':
      return first(
        key,
        () => optionalBytes(r, 'value', limits.maxValueBytes),
        () => intProblem(r, 'lease'),
        ...['prevKv', 'ignoreValue', 'ignoreLease'].map((f) => () => boolProblem(r, f)),
      );
    case 'append':
      return first(key, () => bytesProblem('value', r.value, limits.maxValueBytes));
    case 'deleteRange':
      return first(key, rangeEnd, () => boolProblem(r, 'prevKv'));
    case 'txn':
      return txnProblem(r, limits, depth);
    case 'compact':
      return r.revision === undefined ? 'revision is required' : intProblem(r, 'revision');
    case 'leaseGrant':
      return first(
        () => (r.ttl === undefined ? 'ttl is required' : intProblem(r, 'ttl')),
        () => intProblem(r, 'id'),
      );
    case 'leaseRevoke':
      return r.id === undefined ? 'id is required' : intProblem(r, 'id');
    default:
      return `unknown op ${JSON.stringify(String(r.op)).slice(0, 40)}`;
  }
}

function txnProblem(
  r: Record<string, unknown>,
  limits: RequestLimits,
  depth: number,
): string | undefined {
  if (depth >= MAX_TXN_DEPTH) return `txns are nested more than ${MAX_TXN_DEPTH} deep`;
  for (const field of ['compare', 'success', 'failure']) {
    const list = r[field];
    if (list !== undefined && !Array.isArray(list)) return `${field} must be an array`;
  }
  for (const c of (r.compare as unknown[] | undefined) ?? []) {
    const p = compareProblem(c, limits);
    if (p !== undefined) return p;
  }
  for (const field of ['success', 'failure']) {
    for (const op of (r[field] as unknown[] | undefined) ?? []) {
      if (!isObject(op)) return `${field} ops must be objects`;
      if (op.op !== 'range' && op.op !== 'put' && op.op !== 'deleteRange' && op.op !== 'txn')
        return `a txn op must be range, put, deleteRange or txn, got ${JSON.stringify(String(op.op)).slice(0, 40)}`;
      const p = kvRequestProblem(op, limits, depth + 1);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}

function compareProblem(c: unknown, limits: RequestLimits): string | undefined {
  if (!isObject(c)) return 'compare entries must be objects';
  return first(
    () => bytesProblem('compare key', c.key, limits.maxKeyBytes),
    () => optionalBytes(c, 'rangeEnd', limits.maxKeyBytes),
    () => (c.target === undefined ? 'compare target is required' : enumProblem(c, 'target', 4)),
    () => (c.result === undefined ? 'compare result is required' : enumProblem(c, 'result', 3)),
    () => optionalBytes(c, 'value', limits.maxValueBytes),
    ...['version', 'createRevision', 'modRevision', 'lease'].map((f) => () => intProblem(c, f)),
  );
}
