import type { Clerk } from '@raftkit/clerk';
import {
  checkOperations,
  kvModel,
  type Operation,
  type KvInput,
  type KvOutput,
} from '@raftkit/linearizability';
import type { Rng } from '@raftkit/core';
import { TcpKvCluster } from './kv-tcp-cluster.js';

/**
 * A subset of the kv lab's scenarios (apps/cluster's kv-harness), in real
 * time over loopback TCP: the same KvServer, Raft and Clerk code, every call
 * on a TcpTransport. Shorter than the virtual-time versions (fewer and
 * shorter client phases); the same checks: per-client append order, and the
 * whole history against the kv model with @raftkit/linearizability.
 */

/** The lab's election-timeout allowance (ms). */
const ELECTION_TIMEOUT_MS = 1000;

export interface ScenarioResult {
  ops: number;
  calls: number;
  bytes: number;
  reconnects: number;
  seconds: number;
  verdict: string;
}

class History {
  readonly ops: Operation<KvInput, KvOutput>[] = [];
  private readonly origin = performance.now();

  /** Real time in integer µs; calls round down and returns up, so real-time order is never invented. */
  callTime(): number {
    return Math.floor((performance.now() - this.origin) * 1000);
  }

  returnTime(): number {
    return Math.ceil((performance.now() - this.origin) * 1000);
  }

  async get(ck: Clerk, key: string, client: number): Promise<string> {
    const call = this.callTime();
    const value = await ck.get(key);
    this.ops.push({
      client,
      input: { op: 'get', key },
      call,
      output: { value },
      return: this.returnTime(),
    });
    return value;
  }

  async write(
    kind: 'put' | 'append',
    ck: Clerk,
    key: string,
    value: string,
    client: number,
  ): Promise<void> {
    const call = this.callTime();
    await (kind === 'put' ? ck.put(key, value) : ck.append(key, value));
    this.ops.push({
      client,
      input: { op: kind, key, value },
      call,
      output: {},
      return: this.returnTime(),
    });
  }
}

function appendElement(clnt: number, j: number): string {
  return `x ${clnt} ${j} y`;
}

function checkClntAppends(clnt: number, v: string, count: number): void {
  let lastOff = -1;
  for (let j = 0; j < count; j++) {
    const wanted = appendElement(clnt, j);
    const off = v.indexOf(wanted);
    if (off < 0) throw new Error(`${clnt} missing element ${wanted} in Append result ${v}`);
    if (v.lastIndexOf(wanted) !== off)
      throw new Error(`duplicate element ${wanted} in Append result ${v}`);
    if (off <= lastOff) throw new Error(`wrong order for element ${wanted} in Append result ${v}`);
    lastOff = off;
  }
}

function checkHistory(history: History): string {
  const result = checkOperations(kvModel, history.ops, { timeoutMs: 20_000 });
  if (result.verdict !== 'ok') {
    throw new Error(
      `history of ${history.ops.length} operations is ${result.verdict} (not linearizable or undecided)`,
    );
  }
  return result.verdict;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withCluster(
  options: { n: number; unreliable: boolean; maxRaftState: number; rng: Rng },
  body: (cfg: TcpKvCluster, history: History) => Promise<void>,
): Promise<ScenarioResult> {
  const start = performance.now();
  const cfg = await TcpKvCluster.start(options);
  const history = new History();
  try {
    await body(cfg, history);
    const verdict = checkHistory(history);
    return {
      ops: history.ops.length,
      ...cfg.totals(),
      seconds: (performance.now() - start) / 1000,
      verdict,
    };
  } finally {
    await cfg.cleanup();
  }
}

export interface GenericOptions {
  nclients: number;
  unreliable: boolean;
  crash: boolean;
  iterations: number;
  clientMs: number;
  rng: Rng;
}

/** Lab GenericTest (no partitions, no random keys): clients append/get on their own key; optional crashes. */
export function genericTest(o: GenericOptions): Promise<ScenarioResult> {
  return withCluster(
    { n: 5, unreliable: o.unreliable, maxRaftState: -1, rng: o.rng },
    async (cfg, history) => {
      const ck = await cfg.makeClient(cfg.all());
      for (let iter = 0; iter < o.iterations; iter++) {
        const stop = { done: false };
        const clients = Array.from({ length: o.nclients }, async (_, cli) => {
          const myck = await cfg.makeClient(cfg.all());
          const rng = o.rng.fork(`client-${iter}-${cli}`);
          try {
            let j = 0;
            let last = '';
            await history.write('put', myck, String(cli), last, cli);
            while (!stop.done) {
              if (rng.int(0, 999) < 500) {
                const nv = appendElement(cli, j);
                await history.write('append', myck, String(cli), nv, cli);
                last += nv;
                j++;
              } else {
                const v = await history.get(myck, String(cli), cli);
                if (v !== last)
                  throw new Error(`get wrong value, key ${cli}, wanted:\n${last}\n, got\n${v}\n`);
              }
            }
            return j;
          } finally {
            await cfg.deleteClient(myck);
          }
        });
        // A failing client fails the run at once rather than after the phase.
        const failed = Promise.race(clients.map((c) => c.then(() => new Promise<never>(() => {}))));
        await Promise.race([sleep(o.clientMs), failed]);
        stop.done = true;
        if (o.crash) {
          for (const i of cfg.all()) await cfg.shutdownServer(i);
          // Client operations in flight must complete once the servers are back.
          await sleep(ELECTION_TIMEOUT_MS);
          for (const i of cfg.all()) await cfg.startServer(i);
          cfg.connectAll();
        }
        const counts = await Promise.all(clients);
        for (let i = 0; i < o.nclients; i++) {
          const v = await history.get(ck, String(i), 0);
          checkClntAppends(i, v, counts[i]!);
        }
      }
      if (cfg.snapshotSize() > 0) throw new Error('a snapshot was taken with maxraftstate = -1');
    },
  );
}

/**
 * Lab TestOnePartition4A: progress in the majority with the old leader in the
 * minority; neither a Put nor a Get through the minority completes while
 * partitioned (no stale read); after healing, the minority Put completes and wins.
 */
export function onePartition(rng: Rng): Promise<ScenarioResult> {
  return withCluster({ n: 5, unreliable: false, maxRaftState: -1, rng }, async (cfg, history) => {
    const ck = await cfg.makeClient(cfg.all());
    await history.write('put', ck, '1', '13', 0);
    const [p1, p2] = cfg.makePartition();
    cfg.partition(p1, p2);
    const ckp1 = await cfg.makeClient(p1);
    const ckp2a = await cfg.makeClient(p2);
    const ckp2b = await cfg.makeClient(p2);
    await history.write('put', ckp1, '1', '14', 1);
    if ((await history.get(ckp1, '1', 1)) !== '14') throw new Error('majority did not see its put');

    let done0 = false;
    let done1 = false;
    const put15 = history.write('put', ckp2a, '1', '15', 2).then(() => {
      done0 = true;
    });
    const get2 = history.get(ckp2b, '1', 3).then(() => {
      done1 = true;
    });
    await sleep(1000);
    if (done0) throw new Error('Put in minority completed');
    if (done1) throw new Error('Get in minority completed');
    if ((await history.get(ckp1, '1', 1)) !== '14') throw new Error('majority lost its value');
    await history.write('put', ckp1, '1', '16', 1);
    if ((await history.get(ckp1, '1', 1)) !== '16')
      throw new Error('majority did not see its second put');

    cfg.connectAll();
    cfg.connectClient(ckp2a, cfg.all());
    cfg.connectClient(ckp2b, cfg.all());
    await sleep(ELECTION_TIMEOUT_MS);
    // Liveness after healing: generous in real time on a shared machine (the lab allows 3 s).
    await Promise.race([Promise.all([put15, get2]), sleep(20_000)]);
    if (!done0) throw new Error('Put did not complete after the partition healed');
    if (!done1) throw new Error('Get did not complete after the partition healed');
    if ((await history.get(ck, '1', 0)) !== '15') throw new Error('the minority put did not win');
  });
}
