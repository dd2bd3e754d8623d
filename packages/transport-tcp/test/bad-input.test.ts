import { msgpackCodec } from '@raftkit/codec';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameType } from '../src/frame.js';
import { echoServer, recordingLogger, transport } from './helpers.js';
import { RawClient } from './support/raw-client.js';

/** Each kind of bad input closes that connection (or is answered) with exactly one log line. */
describe('bad input on a live connection', () => {
  const cases: { name: string; bytes: () => Buffer; end?: boolean; closes: boolean; ev: string }[] =
    [
      {
        name: 'an oversized length prefix',
        bytes: () => Buffer.from([0xff, 0xff, 0xff, 0xff, 16]),
        closes: true,
        ev: 'connection-closed',
      },
      {
        name: 'a length too short for type and id',
        bytes: () => Buffer.from([0, 0, 0, 1, 16]),
        closes: true,
        ev: 'connection-closed',
      },
      {
        name: 'an unknown frame type',
        bytes: () => encodeFrame(99 as FrameType, 1, Buffer.alloc(3)),
        closes: true,
        ev: 'connection-closed',
      },
      {
        name: 'a handshake frame after the handshake',
        bytes: () => encodeFrame(FrameType.Hello, 0, msgpackCodec.encode({})),
        closes: true,
        ev: 'connection-closed',
      },
      {
        name: 'a truncated stream',
        bytes: () => encodeFrame(FrameType.Request, 1, Buffer.alloc(50)).subarray(0, 20),
        end: true,
        closes: true,
        ev: 'connection-closed',
      },
      {
        name: 'an undecodable request payload',
        bytes: () => encodeFrame(FrameType.Request, 1, Buffer.from([0xc1, 0xc1])),
        closes: false,
        ev: 'request-error',
      },
      {
        name: 'an unknown method',
        bytes: () => encodeFrame(FrameType.Request, 1, msgpackCodec.encode(['Test.Missing', {}])),
        closes: false,
        ev: 'request-error',
      },
      {
        name: 'a handler that throws',
        bytes: () =>
          encodeFrame(FrameType.Request, 1, msgpackCodec.encode(['Test.Fail', { message: 'x' }])),
        closes: false,
        ev: 'request-error',
      },
    ];

  for (const c of cases) {
    it(`${c.name}: ${c.closes ? 'closes the connection' : 'is answered with an error'}, one log line, the node keeps serving`, async () => {
      const logger = recordingLogger();
      const server = await transport({
        clusterId: 'bad',
        nodeId: 'server',
        listen: { port: 0 },
        server: echoServer(),
        acceptFrom: ['fuzzer', 'client'],
        logger,
      });
      const raw = new RawClient(server.address().port, 'bad');
      await raw.handshake();
      const before = logger.records.length;
      raw.write(c.bytes(), c.end === true);
      if (c.closes) {
        await raw.closed;
      } else {
        expect(await raw.waitFor(() => raw.frames.length === 1)).toBe(true);
        expect(raw.frames[0]?.type).toBe(FrameType.Error);
        raw.destroy();
        await raw.closed;
      }
      await new Promise((r) => setTimeout(r, 20));
      const lines = logger.records.slice(before).filter((r) => r.ev !== 'accepted');
      expect(lines.map((r) => r.ev)).toEqual([c.ev]);
      const client = await transport({
        clusterId: 'bad',
        nodeId: 'client',
        peers: { server: server.address() },
      });
      expect(await client.end('server').call('Test.Echo', { n: 1 })).toEqual({
        ok: true,
        reply: { n: 1 },
      });
    });
  }
});
