import { RpcServer } from '@raftkit/core';
import type { ExecuteArgs, GetArgs, KvErr, PutAppendArgs } from '@raftkit/kv-protocol';
import { kvService } from '@raftkit/kv-protocol';
import { SimNetwork, Simulation } from '@raftkit/labrpc';

const text = (b: string | Uint8Array) => (typeof b === 'string' ? b : new TextDecoder().decode(b));

/**
 * Fake servers: only `leader` answers OK; the others say ErrWrongLeader. Records every request.
 * `hang` makes every server swallow requests (the call never returns: a cut-off server).
 */
export function fakeGroup(n: number, seed = 1) {
  const sim = new Simulation({ seed, printTrace: false });
  const net = new SimNetwork(sim);
  const state = {
    leader: 0,
    hang: false,
    revision: 1,
    store: new Map<string, string>(),
    seen: [] as { server: number; args: unknown }[],
    answer: undefined as KvErr | undefined,
  };
  const never = new Promise<never>(() => {});
  for (let i = 0; i < n; i++) {
    const server = new RpcServer();
    const answer = (args: GetArgs | PutAppendArgs | ExecuteArgs): KvErr => {
      state.seen.push({ server: i, args });
      if (state.answer !== undefined) return state.answer;
      return i === state.leader ? 'OK' : 'ErrWrongLeader';
    };
    server.addService(kvService, {
      Get: async (args) => {
        if (state.hang) return never;
        const err = answer(args);
        return { err, value: err === 'OK' ? (state.store.get(text(args.key)) ?? '') : '' };
      },
      Put: (args) => ({ err: answer(args) }),
      Append: (args) => ({ err: answer(args) }),
      Execute: async (args) => {
        if (state.hang) return never;
        const r = args.request;
        if (r.op === 'put' && r.value !== undefined && text(r.value) === 'bad') {
          // Recorded like every other request, so a retry would show.
          state.seen.push({ server: i, args });
          return { err: 'ErrBadRequest' as const, message: 'value is bad' };
        }
        const err = answer(args);
        if (err !== 'OK') return { err };
        if (r.op === 'put' || r.op === 'append') {
          const key = text(r.key);
          const prev = r.op === 'append' ? (state.store.get(key) ?? '') : '';
          state.store.set(key, prev + text(r.value ?? ''));
          state.revision += 1;
          return { err, result: { op: r.op, revision: state.revision } };
        }
        return { err: 'ErrBadRequest' as const, message: `fake cannot ${r.op}` };
      },
      Status: () => {
        throw new Error('not faked');
      },
    });
    net.addServer(`s${i}`, server);
  }
  const ends = Array.from({ length: n }, (_, i) => {
    const end = net.makeEnd(`c-${i}`);
    net.connect(`c-${i}`, `s${i}`);
    net.enable(`c-${i}`, true);
    return end;
  });
  return { sim, net, state, ends };
}
