import type { LabSummary } from '../lab/lab-test.js';
import { summaryLine } from '../lab/run-lab-test.js';
import { appendElement, checkConcurrentAppends } from './appends.js';
import { fail } from './fail.js';
import { ELECTION_TIMEOUT_MS, spawnClients } from './generic-test.js';
import { check, kvAppend, kvGet, kvPut } from './history.js';
import type { KvTestContext } from './run.js';

/**
 * The lab's hand-written kv tests (src/kvraft/test_test.go) other than GenericTest and
 * GenericTestSpeed, in virtual time.
 */

/** TestUnreliableOneKey4A: 5 clients × 10 appends to one key on an unreliable net. */
export async function unreliableOneKey(ctx: KvTestContext): Promise<LabSummary> {
  const cfg = ctx.makeConfig({ n: 3, unreliable: true, maxRaftState: -1 });
  const ck = cfg.makeClient(cfg.all());
  cfg.begin('Test: concurrent append to same key, unreliable (4A)');
  await kvPut(cfg, ck, 'k', '');
  const nclient = 5;
  const upto = 10;
  await spawnClients(ctx, cfg, nclient, async (me, myck) => {
    for (let n = 0; n < upto; n++) await kvAppend(cfg, myck, 'k', appendElement(me, n));
  });
  const counts = new Array<number>(nclient).fill(upto);
  const vx = await kvGet(cfg, ck, 'k');
  checkConcurrentAppends(vx, counts);
  return cfg.end();
}

/**
 * TestOnePartition4A: (a) the majority makes progress with the old leader in the minority;
 * (b) neither a Put nor a Get through the minority completes within 1 s (no stale reads);
 * (c) after healing, the minority Put completes within a further 3 s and wins.
 */
export async function onePartition(ctx: KvTestContext): Promise<LabSummary> {
  const clock = ctx.sim.clock;
  const cfg = ctx.makeConfig({ n: 5, unreliable: false, maxRaftState: -1 });
  const ck = cfg.makeClient(cfg.all());
  await kvPut(cfg, ck, '1', '13');

  cfg.begin('Test: progress in majority (4A)');
  const [p1, p2] = cfg.makePartition();
  cfg.partition(p1, p2);
  const ckp1 = cfg.makeClient(p1); // connect ckp1 to p1
  const ckp2a = cfg.makeClient(p2); // connect ckp2a to p2
  const ckp2b = cfg.makeClient(p2); // connect ckp2b to p2
  await kvPut(cfg, ckp1, '1', '14');
  await check(cfg, ckp1, '1', '14');
  ctx.log(summaryLine(cfg.end(), ctx.seed));

  cfg.begin('Test: no progress in minority (4A)');
  let done0 = false;
  let done1 = false;
  const put15 = kvPut(cfg, ckp2a, '1', '15').then(() => {
    done0 = true;
  });
  kvGet(cfg, ckp2b, '1').then(
    () => {
      done1 = true;
    },
    (error: unknown) => ctx.sim.fail(error),
  );
  put15.catch((error: unknown) => ctx.sim.fail(error));
  await clock.sleep(1000);
  if (done0) fail('minority-progress', 'Put in minority completed');
  if (done1) fail('minority-progress', 'Get in minority completed');
  await check(cfg, ckp1, '1', '14');
  await kvPut(cfg, ckp1, '1', '16');
  await check(cfg, ckp1, '1', '16');
  ctx.log(summaryLine(cfg.end(), ctx.seed));

  cfg.begin('Test: completion after heal (4A)');
  cfg.connectAll();
  cfg.connectClient(ckp2a, cfg.all());
  cfg.connectClient(ckp2b, cfg.all());
  await clock.sleep(ELECTION_TIMEOUT_MS);
  await Promise.race([put15, clock.sleep(30 * 100)]);
  if (!done0) fail('heal-no-progress', 'Put did not complete');
  // As in the lab, the minority Get is not waited for (its select has a default branch).
  await check(cfg, ck, '1', '15');
  return cfg.end();
}

/**
 * TestSnapshotRPC4B: the majority {0,1} compacts while 2 lags; then {0,2} must commit, which
 * needs 2 to catch up through InstallSnapshot.
 */
export async function snapshotRpc(ctx: KvTestContext): Promise<LabSummary> {
  const maxRaftState = 1000;
  const cfg = ctx.makeConfig({ n: 3, unreliable: false, maxRaftState });
  const ck = cfg.makeClient(cfg.all());
  cfg.begin('Test: InstallSnapshot RPC (4B)');
  await kvPut(cfg, ck, 'a', 'A');
  await check(cfg, ck, 'a', 'A');

  // A bunch of puts into the majority partition.
  cfg.partition([0, 1], [2]);
  {
    const ck1 = cfg.makeClient([0, 1]);
    for (let i = 0; i < 50; i++) await kvPut(cfg, ck1, String(i), String(i));
    await ctx.sim.clock.sleep(ELECTION_TIMEOUT_MS);
    await kvPut(cfg, ck1, 'b', 'B');
  }
  // The majority must have thrown away most of its log.
  const sz = cfg.logSize();
  if (sz > 8 * maxRaftState) {
    fail('logs-not-trimmed', `logs were not trimmed (${sz} > 8*${maxRaftState})`);
  }

  // A group that needs the lagging server, so it has to catch up.
  cfg.partition([0, 2], [1]);
  {
    const ck1 = cfg.makeClient([0, 2]);
    await kvPut(cfg, ck1, 'c', 'C');
    await kvPut(cfg, ck1, 'd', 'D');
    await check(cfg, ck1, 'a', 'A');
    await check(cfg, ck1, 'b', 'B');
    await check(cfg, ck1, '1', '1');
    await check(cfg, ck1, '49', '49');
  }

  // Now everybody.
  cfg.partition([0, 1, 2], []);
  await kvPut(cfg, ck, 'e', 'E');
  await check(cfg, ck, 'c', 'C');
  await check(cfg, ck, 'e', 'E');
  await check(cfg, ck, '1', '1');
  return cfg.end();
}

/** TestSnapshotSize4B: 800 small ops; Raft state ≤ 8000 B and snapshot ≤ 500 B. */
export async function snapshotSize(ctx: KvTestContext): Promise<LabSummary> {
  const maxRaftState = 1000;
  const maxSnapshotState = 500;
  const cfg = ctx.makeConfig({ n: 3, unreliable: false, maxRaftState });
  const ck = cfg.makeClient(cfg.all());
  cfg.begin('Test: snapshot size is reasonable (4B)');
  for (let i = 0; i < 200; i++) {
    await kvPut(cfg, ck, 'x', '0');
    await check(cfg, ck, 'x', '0');
    await kvPut(cfg, ck, 'x', '1');
    await check(cfg, ck, 'x', '1');
  }
  const sz = cfg.logSize();
  if (sz > 8 * maxRaftState) {
    fail('logs-not-trimmed', `logs were not trimmed (${sz} > 8*${maxRaftState})`);
  }
  const ssz = cfg.snapshotSize();
  if (ssz > maxSnapshotState) {
    fail('snapshot-too-large', `snapshot too large (${ssz} > ${maxSnapshotState})`);
  }
  return cfg.end();
}
