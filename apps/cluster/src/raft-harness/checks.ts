import type { RaftHarness } from './harness.js';

/**
 * The lab tester's checks (config.go), in virtual time. Each one fails the
 * test through `h.fatal` with the lab's message.
 */

/** Up to 10 rounds of 450–549 ms: the leader of the highest term among connected peers. */
export async function checkOneLeader(h: RaftHarness): Promise<number> {
  for (let iters = 0; iters < 10; iters++) {
    await h.sleep(450 + h.rng.int(0, 99));
    const leaders = new Map<number, number[]>();
    for (let i = 0; i < h.n; i++) {
      const rf = h.rafts[i];
      if (h.connected[i] && rf != null) {
        const { term, isLeader } = rf.getState();
        if (isLeader) leaders.set(term, [...(leaders.get(term) ?? []), i]);
      }
    }
    let lastTermWithLeader = -1;
    for (const [term, ids] of leaders) {
      if (ids.length > 1) h.fatal(`term ${term} has ${ids.length} (>1) leaders`);
      if (term > lastTermWithLeader) lastTermWithLeader = term;
    }
    if (leaders.size !== 0) return leaders.get(lastTermWithLeader)![0]!;
  }
  return h.fatal('expected one leader, got none');
}

/** Every connected peer reports the same term; returns it. */
export function checkTerms(h: RaftHarness): number {
  let term = -1;
  for (let i = 0; i < h.n; i++) {
    const rf = h.rafts[i];
    if (h.connected[i] && rf != null) {
      const xterm = rf.getState().term;
      if (term === -1) term = xterm;
      else if (term !== xterm) h.fatal('servers disagree on term');
    }
  }
  return term;
}

/** No connected peer thinks it is leader. */
export function checkNoLeader(h: RaftHarness): void {
  for (let i = 0; i < h.n; i++) {
    const rf = h.rafts[i];
    if (h.connected[i] && rf?.getState().isLeader) {
      h.fatal(`expected no leader among connected servers, but ${i} claims to be leader`);
    }
  }
}

/** How many peers (crashed and disconnected included) applied `index`, and the value. */
export function nCommitted(h: RaftHarness, index: number): { count: number; cmd: unknown } {
  let count = 0;
  let cmd: unknown;
  for (let i = 0; i < h.n; i++) {
    if (h.applyErr[i] !== '') h.fatal(h.applyErr[i]!);
    const log = h.logs[i]!;
    if (log.has(index)) {
      const v = log.get(index);
      if (count > 0 && cmd !== v)
        h.fatal(`committed values do not match: index ${index}, ${String(cmd)}, ${String(v)}`);
      count += 1;
      cmd = v;
    }
  }
  return { count, cmd };
}

/** Waits (10 ms doubling to 1 s, 30 polls) for n peers to apply `index`; -1 if any term passed startTerm. */
export async function wait(
  h: RaftHarness,
  index: number,
  n: number,
  startTerm: number,
): Promise<unknown> {
  let to = 10;
  for (let iters = 0; iters < 30; iters++) {
    if (nCommitted(h, index).count >= n) break;
    await h.sleep(to);
    if (to < 1000) to *= 2;
    if (startTerm > -1) {
      for (const r of h.rafts) if (r != null && r.getState().term > startTerm) return -1;
    }
  }
  const { count, cmd } = nCommitted(h, index);
  if (count < n) h.fatal(`only ${count} decided for index ${index}; wanted ${n}`);
  return cmd;
}

/**
 * One full agreement on `cmd` (the lab's one()): within 10 s, Start on a
 * leader and wait up to 2 s for `expectedServers` to apply it; with `retry`,
 * a failed attempt is tried again. Returns the index.
 */
export async function one(
  h: RaftHarness,
  cmd: unknown,
  expectedServers: number,
  retry: boolean,
): Promise<number> {
  const t0 = h.now;
  let starts = 0;
  while (h.now - t0 < 10_000 && !h.finished) {
    let index = -1;
    for (let si = 0; si < h.n; si++) {
      starts = (starts + 1) % h.n;
      const rf = h.rafts[starts];
      if (h.connected[starts] && rf != null) {
        const r = rf.start(cmd);
        if (r.isLeader) {
          index = r.index;
          break;
        }
      }
    }
    if (index !== -1) {
      const t1 = h.now;
      while (h.now - t1 < 2000) {
        const { count, cmd: got } = nCommitted(h, index);
        if (count > 0 && count >= expectedServers && got === cmd) return index;
        await h.sleep(20);
      }
      if (!retry) h.fatal(`one(${short(cmd)}) failed to reach agreement`);
    } else {
      await h.sleep(50);
    }
  }
  if (!h.finished) h.fatal(`one(${short(cmd)}) failed to reach agreement`);
  return -1;
}

function short(cmd: unknown): string {
  const s = String(cmd);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
