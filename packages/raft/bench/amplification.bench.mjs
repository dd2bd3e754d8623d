// Replication amplification: how many AppendEntries (carrying entries) and how many entries a
// leader ships to a follower per entry that follower needed, against the minimum
// ceil(needed / maxEntriesPerAppend) AppendEntries and `needed` entries.
//
// Two scenarios, public API only, 3 peers, reliable and unreliable simulated network:
//   - "pipeline": 2,000 entries proposed at once, maxEntriesPerAppend 1, maxInflightAppends 1/16/64;
//   - "catch-up": a follower disconnected while 20,000 entries commit, then reconnected, at the
//     defaults (512 entries per append, 16 in flight); meanwhile a client keeps proposing one
//     entry every 20 ms and the bench reports the longest commit latency it saw (starvation).
//
// Run after a build:  cd packages/raft && nice -n 10 node bench/amplification.bench.mjs
// SEEDS=… (default 3) runs each row on that many seeds and reports the mean.
import { simRaftCluster } from '../dist/testing.js';

const SEEDS = Number(process.env.SEEDS ?? 3);

/** Wraps a client end: counts AppendEntries that carry entries, and the entries, per target. */
function countingEnds(stats) {
  return (_from, to, end) => ({
    call(method, args) {
      if (method === 'Raft.AppendEntries' && args.entries.length > 0) {
        const s = stats[to];
        if (s?.counting) {
          s.appends += 1;
          s.entries += args.entries.length;
        }
      }
      return end.call(method, args);
    },
  });
}

async function pipeline({ seed, inflight, unreliable, total }) {
  const stats = [0, 1, 2].map(() => ({ appends: 0, entries: 0, counting: true }));
  const c = simRaftCluster({
    n: 3,
    seed,
    raft: { maxEntriesPerAppend: 1, maxInflightAppends: inflight },
    wrapEnd: countingEnds(stats),
  });
  let wallMs = 0;
  await c.run(async () => {
    const leader = await c.waitLeader();
    c.setUnreliable(unreliable);
    for (const s of stats) {
      s.appends = 0;
      s.entries = 0;
    }
    const t0 = performance.now();
    let last = 0;
    for (let k = 0; k < total; k++) last = c.peer(leader).start(`e${k}`).index;
    await c.waitApplied(last, c.all(), 600_000);
    wallMs = performance.now() - t0;
    const followers = c.all().filter((i) => i !== leader);
    const appends = followers.reduce((a, i) => a + stats[i].appends, 0) / followers.length;
    const entries = followers.reduce((a, i) => a + stats[i].entries, 0) / followers.length;
    stats.result = { appends, entries };
  }, 900_000);
  return { ...stats.result, needed: total, min: total, wallMs };
}

async function catchUp({ seed, unreliable, backlog }) {
  const stats = [0, 1, 2].map(() => ({ appends: 0, entries: 0, counting: false }));
  const c = simRaftCluster({ n: 3, seed, wrapEnd: countingEnds(stats) });
  let out;
  await c.run(async () => {
    const leader = await c.waitLeader();
    const lagger = (leader + 1) % 3;
    c.disconnect(lagger);
    let last = 0;
    for (let k = 0; k < backlog; k++) last = c.peer(leader).start(`e${k}`).index;
    await c.waitApplied(
      last,
      c.all().filter((i) => i !== lagger),
      600_000,
    );
    c.setUnreliable(unreliable);
    const needed = last - c.peer(lagger).status().lastIndex;
    stats[lagger].counting = true;
    c.connect(lagger);
    // A client proposing every 20 ms during the catch-up; its worst commit latency shows starvation.
    let worst = 0;
    let stop = false;
    const client = (async () => {
      while (!stop) {
        const t = c.now;
        const r = c.peer(leader).start(`live-${t}`);
        if (!r.isLeader) return;
        await c.waitApplied(r.index, [leader], 60_000);
        worst = Math.max(worst, c.now - t);
        await c.sleep(20);
      }
    })();
    const t0 = c.now;
    await c.waitApplied(last, [lagger], 600_000);
    const virtualMs = c.now - t0;
    stop = true;
    await client;
    out = {
      appends: stats[lagger].appends,
      entries: stats[lagger].entries,
      needed,
      min: Math.ceil(needed / 512),
      worstCommitMs: worst,
      virtualMs,
    };
  }, 900_000);
  return out;
}

function mean(rows, key) {
  return rows.reduce((a, r) => a + r[key], 0) / rows.length;
}

function line(label, rows, minAppends) {
  const appends = mean(rows, 'appends');
  const entries = mean(rows, 'entries');
  const needed = mean(rows, 'needed');
  const extra =
    rows[0].worstCommitMs !== undefined
      ? ` | worst live commit ${Math.max(...rows.map((r) => r.worstCommitMs)).toFixed(0)} ms, catch-up ${mean(rows, 'virtualMs').toFixed(0)} virtual ms`
      : '';
  console.log(
    `${label.padEnd(44)} AppendEntries ${appends.toFixed(0).padStart(6)} (min ${minAppends}, ${(appends / minAppends).toFixed(2)}×) | entries shipped ${entries.toFixed(0).padStart(6)} / needed ${needed.toFixed(0)} (${(entries / needed).toFixed(2)}×)${extra}`,
  );
}

console.log(`replication amplification, 3 peers, mean over ${SEEDS} seeds (per follower)`);
for (const unreliable of [false, true]) {
  const net = unreliable ? 'unreliable' : 'reliable';
  for (const inflight of [1, 16, 64]) {
    const rows = [];
    for (let s = 0; s < SEEDS; s++)
      rows.push(await pipeline({ seed: 100 + s, inflight, unreliable, total: 2000 }));
    line(`pipeline 2000, 1/append, ${inflight} in flight, ${net}`, rows, 2000);
  }
  const rows = [];
  for (let s = 0; s < SEEDS; s++)
    rows.push(await catchUp({ seed: 200 + s, unreliable, backlog: 20_000 }));
  line(`catch-up 20000, defaults 512/16, ${net}`, rows, Math.round(mean(rows, 'min')));
}
