import {
  type CallResult,
  type ClientEnd,
  RealClock,
  type Rng,
  RpcServer,
  createCryptoRng,
} from '@raftkit/core';
import { msgpackCodec } from '@raftkit/codec';
import { MemoryPersister } from '@raftkit/persister';
import type { KvMember } from '@raftkit/kv-protocol';
import { KvServer, type KvServerOptions } from '../src/index.js';

/**
 * A real-time, in-process transport for tests that need real I/O next to a
 * group (the HTTP gateway): each call is encoded and decoded by the codec and
 * delivered on a later turn of the event loop; a call to a stopped server is
 * lost after `lostAfterMs`. Not a simulation: time is the real clock.
 */
export class LoopbackNetwork {
  private readonly servers = new Map<string, RpcServer>();
  private readonly down = new Set<string>();

  constructor(private readonly lostAfterMs = 50) {}

  add(name: string, server: RpcServer): void {
    this.servers.set(name, server);
  }

  /** Cuts (or restores) every call to `name`. */
  setDown(name: string, down: boolean): void {
    if (down) this.down.add(name);
    else this.down.delete(name);
  }

  end(to: string): ClientEnd {
    return {
      call: async (method: string, args: unknown): Promise<CallResult<unknown>> => {
        const payload = msgpackCodec.encode(args);
        await new Promise((r) => setImmediate(r));
        const server = this.servers.get(to);
        if (server === undefined || this.down.has(to)) {
          await new Promise((r) => setTimeout(r, this.lostAfterMs));
          return { ok: false, reason: 'lost' };
        }
        const reply = await server.dispatch(method, msgpackCodec.decode(payload));
        if (this.down.has(to)) return { ok: false, reason: 'lost' };
        return { ok: true, reply: msgpackCodec.decode(msgpackCodec.encode(reply)) };
      },
    };
  }
}

/** Members with URLs, as a real cluster reports them. */
export function members(n: number): KvMember[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(1000 + i),
    name: `n${i + 1}`,
    peerUrls: [`http://127.0.0.1:${23801 + i}`],
    clientUrls: [`http://127.0.0.1:${23791 + i}`],
  }));
}

/** n KvServers on a LoopbackNetwork with the real clock. */
export function loopbackGroup(
  n: number,
  options: Partial<KvServerOptions> = {},
  rng: Rng = createCryptoRng(),
) {
  const net = new LoopbackNetwork();
  const clock = new RealClock();
  const servers: KvServer[] = [];
  for (let i = 0; i < n; i++) {
    const kv = new KvServer({
      peers: Array.from({ length: n }, (_, j) => net.end(`s${j}`)),
      me: i,
      persister: new MemoryPersister(),
      maxRaftState: -1,
      clock,
      rng,
      members: members(n),
      ...options,
    });
    const rpc = new RpcServer();
    kv.register(rpc);
    net.add(`s${i}`, rpc);
    servers.push(kv);
  }
  const leader = async (timeoutMs = 10_000): Promise<number> => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const i = servers.findIndex((s) => s.raft.getState().isLeader);
      if (i >= 0 && servers.every((s) => s.status().leader === i)) return i;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no leader within ${timeoutMs} ms`);
  };
  const stop = () => {
    for (const s of servers) s.kill();
  };
  return { net, servers, leader, stop };
}
