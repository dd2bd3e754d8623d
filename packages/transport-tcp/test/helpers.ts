import {
  defineService,
  type Logger,
  type LogRecord,
  RpcServer,
  type ServiceHandlers,
} from '@raftkit/core';
import { afterEach } from 'vitest';
import { createTcpTransport, type TcpTransport, type TcpTransportOptions } from '../src/index.js';

export type EchoMethods = {
  Echo: { args: { n: number; pad?: string }; reply: { n: number; pad?: string } };
  Fail: { args: { message: string }; reply: never };
  Hang: { args: Record<string, never>; reply: never };
  Slow: { args: { ms: number; n: number }; reply: { n: number } };
};

export const echoService = defineService<EchoMethods>()('Test', ['Echo', 'Fail', 'Hang', 'Slow']);

export const echoHandlers: ServiceHandlers<EchoMethods> = {
  Echo: (args) => args,
  Fail: (args) => {
    throw new Error(args.message);
  },
  Hang: () => new Promise<never>(() => {}),
  Slow: (args) => new Promise((resolve) => setTimeout(() => resolve({ n: args.n }), args.ms)),
};

export function echoServer(): RpcServer {
  const server = new RpcServer();
  server.addService(echoService, echoHandlers);
  return server;
}

/** A logger that keeps every record (for asserting "one structured log line"). */
export function recordingLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return {
    enabled: true,
    records,
    log(src, ev, fields) {
      records.push({ t: 0, src, ev, ...fields });
    },
  };
}

/** Transports created through `track` are closed after each test. */
const open = new Set<TcpTransport>();
afterEach(async () => {
  await Promise.all([...open].map((t) => t.close()));
  open.clear();
});

export async function transport(options: TcpTransportOptions): Promise<TcpTransport> {
  const t = await createTcpTransport(options);
  open.add(t);
  return t;
}

/** A server listening on 127.0.0.1:0 with the echo service, and a client that knows it. */
export async function pair(
  server: Partial<TcpTransportOptions> = {},
  client: Partial<TcpTransportOptions> = {},
): Promise<{ server: TcpTransport; client: TcpTransport }> {
  const s = await transport({
    clusterId: 'test',
    nodeId: 'server',
    listen: { port: 0 },
    server: echoServer(),
    acceptFrom: ['client'],
    ...server,
  });
  const c = await transport({
    clusterId: 'test',
    nodeId: 'client',
    peers: { server: s.address() },
    ...client,
  });
  return { server: s, client: c };
}

export function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (predicate()) resolve();
      else if (performance.now() - start > timeoutMs)
        reject(new Error('condition not reached in time'));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

/** A small seeded rng (mulberry32) for tests that need reproducible fault decisions. */
export function seededRng(seed: number, label = String(seed)): import('@raftkit/core').Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed: label,
    float: next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    fork: (name) =>
      seededRng(
        seed ^ [...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261),
        `${label}/${name}`,
      ),
  };
}
