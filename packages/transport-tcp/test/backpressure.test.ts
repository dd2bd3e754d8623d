import { msgpackCodec } from '@raftkit/codec';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameType } from '../src/frame.js';
import { transport } from './helpers.js';
import { echoServer } from './helpers.js';
import { RawClient } from './support/raw-client.js';

describe('socket backpressure', () => {
  it('a peer that does not read its replies stops being read; nothing grows without bound; it all drains', async () => {
    const maxQueueBytes = 1 << 20;
    const server = await transport({
      clusterId: 'bp',
      nodeId: 'server',
      listen: { port: 0 },
      server: echoServer(),
      acceptFrom: ['fuzzer'],
      limits: { maxFrameBytes: 64 * 1024, maxQueueBytes, maxInflightPerConnection: 64 },
    });
    const client = new RawClient(server.address().port, 'bp');
    try {
      await client.handshake();
      client.reading(false);
      // 20,000 requests whose replies total ~40 MB, written at once.
      const total = 20_000;
      const pad = 'p'.repeat(2000);
      const frames = Array.from({ length: total }, (_, n) =>
        encodeFrame(FrameType.Request, n + 1, msgpackCodec.encode(['Test.Echo', { n, pad }])),
      );
      client.write(Buffer.concat(frames));
      // The server answers until its reply queue and the socket buffers fill, then stops reading.
      let served = -1;
      for (;;) {
        await new Promise((r) => setTimeout(r, 300));
        const now = server.stats().requestsServed;
        if (now === served) break;
        served = now;
      }
      expect(served).toBeGreaterThan(0);
      expect(served).toBeLessThan(total);
      expect(server.stats().queueFullDrops).toBe(0);
      console.log(
        `backpressure: server stopped after ${served} of ${total} requests while the client did not read`,
      );
      // Reading again drains everything: every request is answered, none dropped.
      client.reading(true);
      const drained = await client.waitFor(() => client.frames.length >= total, 30_000);
      expect(drained).toBe(true);
      expect(client.frames.filter((f) => f.type === FrameType.Reply)).toHaveLength(total);
      expect(server.stats().requestsServed).toBe(total);
      expect(server.stats().peakDecoderBytes).toBeLessThanOrEqual(64 * 1024 + 4 + 65536);
    } finally {
      client.destroy();
      await client.closed;
    }
  });
});
