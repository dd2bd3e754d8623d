import { Clerk } from '@raftkit/clerk';
import { simKvGroup } from '@raftkit/kvserver/testing';
import {
  checkOperations,
  type KvInput,
  type KvOutput,
  kvModel,
  type Operation,
} from '@raftkit/linearizability';
import { expect, it } from 'vitest';

/**
 * Leader transfer (thesis §3.10) under faults: three clerks write and read while the
 * leader is moved to a random peer every few hundred ms, on an unreliable network
 * with a follower now and then cut off and a server now and then crashed and
 * restarted. The history must be linearizable, and transfers must happen.
 */
const seeds = (process.env.SEED ?? '1,2,3').split(',').map(Number);

it.each(seeds)(
  'leader transfer under faults keeps the key/value service linearizable (seed %i)',
  async (seed) => {
    console.log(`leader-transfer seed ${seed}`);
    const g = simKvGroup({
      n: 5,
      seed,
      unreliable: true,
      server: { maxRaftState: 2000, raft: { preVote: true, checkQuorum: true } },
    });
    const rng = g.sim.rng.fork('chaos');
    const history: Operation<KvInput, KvOutput>[] = [];
    const micros = () => Math.round(g.now * 1000);
    let transfers = 0;
    let moved = 0;
    await g.run(async () => {
      let done = false;
      const clerks = [0, 1, 2].map(
        (c) =>
          new Clerk(g.clientEnds(`ck${c}`).ends, {
            clock: g.sim.clock,
            rng: g.sim.rng.fork(`ck${c}`),
          }),
      );
      const client = async (c: number) => {
        const ck = clerks[c]!;
        for (let k = 0; !done; k++) {
          const key = `k${rng.int(0, 1)}`;
          const call = micros() + 1;
          const roll = rng.int(0, 2);
          if (roll === 0) {
            const value = await ck.get(key);
            history.push({
              client: c,
              input: { op: 'get', key },
              output: { value },
              call,
              return: micros(),
            });
          } else {
            const value = `${c}.${k} `;
            const op = roll === 1 ? 'put' : 'append';
            await (op === 'put' ? ck.put(key, value) : ck.append(key, value));
            history.push({
              client: c,
              input: { op, key, value },
              output: {},
              call,
              return: micros(),
            });
          }
        }
      };
      const chaos = async () => {
        const until = g.now + 6000;
        while (g.now < until) {
          await g.sleep(rng.int(150, 400));
          const leader = g.leader();
          if (leader === undefined) continue;
          const roll = rng.int(0, 9);
          if (roll < 6) {
            const to = (leader + rng.int(1, 4)) % 5;
            transfers += 1;
            const r = await g.server(leader).raft.transferLeadership(to);
            if (r.ok) moved += 1;
          } else if (roll < 8) {
            const victim = (leader + rng.int(1, 4)) % 5;
            g.disconnect(victim);
            await g.sleep(rng.int(100, 600));
            g.connect(victim);
          } else {
            const victim = rng.int(0, 4);
            await g.crash(victim);
            await g.sleep(rng.int(50, 300));
            g.restart(victim);
          }
        }
        g.heal();
        g.setUnreliable(false);
        done = true;
      };
      await Promise.all([chaos(), client(0), client(1), client(2)]);
    }, 120_000);
    const result = checkOperations(kvModel, history, { maxSteps: 100_000_000 });
    console.log(
      `seed ${seed}: ${history.length} operations, ${transfers} transfers asked, ${moved} done, verdict ${result.verdict}`,
    );
    expect(result.verdict).toBe('ok');
    // How many transfers the seed's chaos asks for varies with the schedule (4–9 in seeds 1–3);
    // under partitions and crashes some abort by design. At least two must complete.
    expect(moved).toBeGreaterThanOrEqual(2);
    expect(history.length).toBeGreaterThan(100);
  },
);
