import { createCryptoRng, InvalidArgumentError, serviceClient } from '@raftkit/core';
import { describe, expect, it } from 'vitest';
import { createTcpTransport, InsecureBindError, UnknownPeerError } from '../src/index.js';
import { echoService, pair, recordingLogger, transport } from './helpers.js';

describe('the ClientEnd contract over TCP', () => {
  it('answers calls, many in flight on one connection, replies matched by id', async () => {
    const { server, client } = await pair();
    const test = serviceClient(client.end('server'), echoService);
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, n) =>
        n % 2 === 0 ? test.call('Echo', { n }) : test.call('Slow', { n, ms: 500 - n }),
      ),
    );
    results.forEach((r, n) => {
      expect(r).toEqual({ ok: true, reply: { n } });
    });
    const s = client.stats();
    expect(s.calls).toBe(500);
    expect(s.replies).toBe(500);
    expect(s.outboundConnections).toBe(1);
    expect(s.reconnects).toBe(0);
    expect(server.stats().requestsServed).toBe(500);
    expect(server.stats().inboundConnections).toBe(1);
    expect(s.bytesSent).toBeGreaterThan(500 * 9);
    expect(server.stats().bytesReceived).toBe(s.bytesSent);
  });

  it('an unknown method and a failing handler are answered as lost; the server keeps serving', async () => {
    const logger = recordingLogger();
    const { server, client } = await pair({ logger });
    const end = client.end('server');
    expect(await end.call('Test.Nope', {})).toEqual({ ok: false, reason: 'lost' });
    expect(await end.call('Test.Fail', { message: 'boom' })).toEqual({ ok: false, reason: 'lost' });
    expect(await end.call('Test.Echo', { n: 7 })).toEqual({ ok: true, reply: { n: 7 } });
    expect(server.stats().requestErrors).toBe(2);
    expect(client.stats().remoteErrors).toBe(2);
    const errors = logger.records.filter((r) => r.ev === 'request-error');
    expect(errors.map((r) => r.code)).toEqual(['UNKNOWN_METHOD', 'HANDLER_ERROR']);
    expect(String(errors[1]?.message)).toContain('boom');
    expect(server.stats().inboundConnections).toBe(1);
  });

  it('a call without a reply resolves as lost at its deadline', async () => {
    const { client } = await pair({}, { callTimeoutMs: 150 });
    const start = performance.now();
    const result = await client.end('server').call('Test.Hang', {});
    const waited = performance.now() - start;
    expect(result).toEqual({ ok: false, reason: 'lost' });
    expect(waited).toBeGreaterThanOrEqual(145);
    expect(client.stats().timeouts).toBe(1);
    expect(client.stats().pendingCalls).toBe(0);
  });

  it('closing resolves pending calls as closed, and later calls too', async () => {
    const { client } = await pair();
    const end = client.end('server');
    await end.call('Test.Echo', { n: 1 });
    const hanging = end.call('Test.Hang', {});
    await client.close();
    expect(await hanging).toEqual({ ok: false, reason: 'closed' });
    expect(await end.call('Test.Echo', { n: 2 })).toEqual({ ok: false, reason: 'closed' });
  });

  it('a full send queue fails calls as lost at once', async () => {
    const { client } = await pair({}, { limits: { maxQueueMessages: 4 } });
    const end = client.end('server');
    // All made in one turn, before the connection opens: 4 queue, 6 are refused.
    const calls = Array.from({ length: 10 }, (_, n) => end.call('Test.Echo', { n }));
    const results = await Promise.all(calls);
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    expect(results.filter((r) => !r.ok)).toHaveLength(6);
    expect(client.stats().queueFullDrops).toBe(6);
  });

  it('the pending-call table is bounded', async () => {
    const { client } = await pair({}, { limits: { maxPendingCalls: 3 }, callTimeoutMs: 100 });
    const end = client.end('server');
    const results = await Promise.all(Array.from({ length: 5 }, () => end.call('Test.Hang', {})));
    expect(results.every((r) => !r.ok)).toBe(true);
    const s = client.stats();
    expect(s.queueFullDrops).toBe(2);
    expect(s.timeouts).toBe(3);
  });

  it('a call whose frame would exceed maxFrameBytes is lost without being sent', async () => {
    const { client, server } = await pair({}, { limits: { maxFrameBytes: 4096 } });
    const end = client.end('server');
    expect(await end.call('Test.Echo', { n: 1, pad: 'x'.repeat(5000) })).toEqual({
      ok: false,
      reason: 'lost',
    });
    expect(await end.call('Test.Echo', { n: 2 })).toEqual({ ok: true, reply: { n: 2 } });
    expect(server.stats().requestsServed).toBe(1);
  });
});

describe('validation', () => {
  it('refuses to listen beyond loopback without authentication, before opening anything', async () => {
    await expect(
      createTcpTransport({
        clusterId: 'c',
        nodeId: 'a',
        listen: { host: '0.0.0.0', port: 0 },
        server: (await import('./helpers.js')).echoServer(),
      }),
    ).rejects.toSatisfy(InsecureBindError.isInstance);
  });

  it('checks ids, limits and the secret', async () => {
    await expect(createTcpTransport({ clusterId: 'c', nodeId: 'bad id' })).rejects.toSatisfy(
      InvalidArgumentError.isInstance,
    );
    await expect(
      createTcpTransport({ clusterId: 'c', nodeId: 'a', limits: { maxFrameBytes: 10 } }),
    ).rejects.toThrow(/maxFrameBytes/);
    await expect(
      createTcpTransport({ clusterId: 'c', nodeId: 'a', auth: { secret: 'short' } }),
    ).rejects.toThrow(/at least 16 bytes/);
    await expect(
      createTcpTransport({ clusterId: 'c', nodeId: 'a', listen: { port: 0 } }),
    ).rejects.toThrow(/RpcServer/);
  });

  it('an end needs a known peer address', async () => {
    const t = await transport({ clusterId: 'c', nodeId: 'a', rng: createCryptoRng() });
    expect(() => t.end('b')).toThrow(UnknownPeerError);
    t.setPeer('b', { host: '127.0.0.1', port: 9 });
    expect(t.end('b')).toBe(t.end('b'));
  });
});
