import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { httpStatusOf } from '@raftkit/kv-protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KvGateway } from '../src/index.js';
import { loopbackGroup } from './loopback.js';

// Bad input through the HTTP gateway: ≥ 10,000 random and mutated requests. Every reply must
// be etcd's shape (JSON {"error","message","code"} with the status of its gRPC code, or a
// success with a header, or one of the text/plain 404/405 replies); a request that fails
// changes nothing (the store revision is the same before and after); the server stays up.

const seed = Number(process.env.SEED ?? 20261130);
const COUNT = Number(process.env.FUZZ_REQUESTS ?? 10_000);

/** mulberry32: a small seeded generator (test-only). */
function rng(s: number) {
  let a = s >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

const cases = readFileSync(join(import.meta.dirname, 'fixtures/etcd-gateway/cases.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { method: string; path: string; body: string | null });
const paths = [
  ...new Set(cases.map((c) => c.path)),
  '/v3/kv/lease/revoke',
  '/v3/watch',
  '/v3beta/kv/put',
  '/',
  '/v3/',
  '/v3/kv',
  '/health',
  '/version',
];
const validBodies = cases
  .filter((c) => c.body !== null && c.body.length < 5000)
  .map((c) => c.body!);

const group = loopbackGroup(3, { retainRevisions: 50 });
let gateway: KvGateway;
let port: number;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  const leader = await group.leader();
  gateway = new KvGateway({ server: group.servers[(leader + 1) % 3]!, maxBodyBytes: 64 * 1024 });
  port = (await gateway.listen(0, '127.0.0.1')).port;
}, 20_000);

afterAll(async () => {
  agent.destroy();
  await gateway.close();
  group.stop();
});

function send(method: string, path: string, body: Buffer | null) {
  return new Promise<{ status: number; type: string | undefined; text: string }>(
    (resolve, reject) => {
      const headers: Record<string, string | number> = {};
      if (body !== null) headers['Content-Length'] = body.length;
      const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers['content-type'],
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      });
      req.on('error', reject);
      req.end(body ?? undefined);
    },
  );
}

const junk = [
  '{',
  '}',
  '[',
  '"',
  ':',
  ',',
  'null',
  'true',
  '1e999',
  '-0',
  '"\\u0000"',
  '"\\ud800"',
  '{"key":',
  '"AA=="',
  '"!!"',
  '9223372036854775808',
  '"-1"',
  '1.5',
  '[]',
  '{}',
  '"DESCEND"',
  '"descend"',
  '\u0000',
  '\ud83d\ude00',
];

/** A mutation of `body`: characters flipped, inserted, deleted; values swapped; truncation. */
function mutate(r: ReturnType<typeof rng>, body: string): string {
  let s = body;
  const n = r.int(1, 4);
  for (let i = 0; i < n; i++) {
    const at = r.int(0, s.length);
    switch (r.int(0, 5)) {
      case 0:
        s = s.slice(0, at) + r.pick(junk) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + r.int(1, 8));
        break;
      case 2:
        s = s.slice(0, at) + String.fromCharCode(r.int(0, 0x7f)) + s.slice(at + 1);
        break;
      case 3:
        s = s.replace(/"[A-Za-z0-9+/=]*"/, r.pick(junk));
        break;
      case 4:
        s = s.slice(0, at);
        break;
      default:
        s = s.replace(
          /"(key|value|revision|limit|sort_order|compare|success|lease|ID|TTL)"/,
          `"${r.pick(['key', 'rangeEnd', 'prev_kv', 'count_only', 'revision', 'success', 'request_txn', 'Key'])}"`,
        );
    }
  }
  return s;
}

function randomBody(r: ReturnType<typeof rng>): Buffer | null {
  switch (r.int(0, 4)) {
    case 0:
      return null;
    case 1:
      return Buffer.from(Array.from({ length: r.int(0, 64) }, () => r.int(0, 255)));
    case 2:
      return Buffer.from(Array.from({ length: r.int(1, 12) }, () => r.pick(junk)).join(''));
    case 3:
      return Buffer.from('['.repeat(r.int(1, 3000)));
    default:
      return Buffer.from(mutate(r, r.pick(validBodies)));
  }
}

const statusOf = () => group.servers.map((s) => s.status().revision);

it(`${COUNT} random and mutated requests get etcd's error shape, change nothing when refused, and the server stays up`, async () => {
  console.log(`fuzz seed=${seed} requests=${COUNT}`);
  const r = rng(seed);
  const seen = new Map<number, number>();
  for (let i = 0; i < COUNT; i++) {
    const mutated = r.chance(0.6);
    const method = mutated ? 'POST' : r.pick(['POST', 'POST', 'GET', 'PUT', 'DELETE', 'OPTIONS']);
    const path = mutated ? r.pick(cases.filter((c) => c.body !== null)).path : r.pick(paths);
    const body = mutated ? Buffer.from(mutate(r, r.pick(validBodies))) : randomBody(r);
    const before = Math.max(...statusOf());
    const reply = await send(method, path, body);
    seen.set(reply.status, (seen.get(reply.status) ?? 0) + 1);
    const what = `#${i} ${method} ${path} ${body?.toString('utf8').slice(0, 200)} → ${reply.status} ${reply.text.slice(0, 200)}`;
    if (reply.type === 'application/json') {
      const parsed = JSON.parse(reply.text) as Record<string, unknown>;
      if (reply.status === 200) {
        expect(parsed.header ?? parsed.etcdserver, what).toBeDefined();
      } else {
        expect(Object.keys(parsed), what).toEqual(['error', 'message', 'code']);
        expect(parsed.error, what).toBe(parsed.message);
        expect(httpStatusOf(parsed.code as number), what).toBe(reply.status);
        expect(Math.max(...statusOf()), what).toBe(before);
      }
    } else if (reply.status !== 200 || method !== 'OPTIONS') {
      expect(reply.type, what).toBe('text/plain; charset=utf-8');
      expect([200, 404, 405, 503], what).toContain(reply.status);
      if (reply.status !== 200) expect(Math.max(...statusOf()), what).toBe(before);
    }
  }
  console.log(`statuses: ${JSON.stringify(Object.fromEntries(seen))}`);
  expect(seen.get(400)).toBeGreaterThan(COUNT / 10);
  // Still up, still correct.
  const put = await send('POST', '/v3/kv/put', Buffer.from('{"key":"b2s=","value":"eWVz"}'));
  expect(put.status).toBe(200);
  const get = await send('POST', '/v3/kv/range', Buffer.from('{"key":"b2s="}'));
  expect(JSON.parse(get.text).kvs[0].value).toBe('eWVz');
  const health = await send('GET', '/health', null);
  expect(health.text).toBe('{"health":"true"}');
}, 180_000);

it("an oversized body is refused with etcd's error and the connection closed; nothing applied", async () => {
  const before = statusOf();
  const big = Buffer.from(`{"key":"YQ==","value":"${'A'.repeat(100 * 1024)}"}`);
  const reply = await send('POST', '/v3/kv/put', big);
  expect(reply.status).toBe(400);
  expect(JSON.parse(reply.text)).toEqual({
    error: 'etcdserver: request is too large',
    message: 'etcdserver: request is too large',
    code: 3,
  });
  expect(statusOf()).toEqual(before);
  expect((await send('GET', '/health', null)).status).toBe(200);
});
