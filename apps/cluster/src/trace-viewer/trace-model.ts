import type { LogRecord } from '@raftkit/core';

/** What the trace viewer page draws, in columns (one array per field) to keep the page small. */
export interface TraceModel {
  meta: TraceMeta;
  /** Lane names, servers first ("server 0"…), then clerks' ends ("ck3") and clients ("client 2"). */
  lanes: string[];
  /** Role and term periods: lane, start, end, role (see ROLES), term (-1 unknown). */
  bands: { lane: number[]; t0: number[]; t1: number[]; role: number[]; term: number[] };
  /** Periods a server was crashed (down), and cut off from a majority of servers. */
  down: { lane: number[]; t0: number[]; t1: number[] };
  cut: { lane: number[]; t0: number[]; t1: number[] };
  /** Network-wide periods: unreliable, long reordering. */
  unreliable: [number, number][];
  reordering: [number, number][];
  methods: string[];
  /** Messages: from lane, to lane, sent, arrived (or lost) time, method, status (see STATUS). */
  msgs: {
    from: number[];
    to: number[];
    t0: number[];
    t1: number[];
    method: number[];
    status: number[];
    rec: number[];
  };
  /** Point events: lane, time, kind (see MARKS), value (an index, or -1), source record. */
  marks: { lane: number[]; t: number[]; kind: number[]; value: number[]; rec: number[] };
  /** Client operations: lane, call, return, text, verdict (0 checked ok or unchecked, 1 in an illegal key, 2 where it fails). */
  ops: {
    lane: number[];
    t0: number[];
    t1: number[];
    text: string[];
    verdict: number[];
    rec: number[];
  };
  /** Every record: [t, src, ev, other fields as JSON]. Items refer to these by index (`rec`). */
  records: [number, string, string, string][];
}

export interface TraceMeta {
  test: string;
  seed: number;
  ok: boolean;
  error?: string;
  /** Virtual ms of the last record. */
  tEnd: number;
  /** Records the run produced (the page holds the last `records.length`). */
  total: number;
  /** Whether deliveries (not only faults) were traced: arrows exist only then. */
  deliveries: boolean;
  /** The linearizability verdict, for key/value tests. */
  verdict?: string;
}

export const ROLES = ['follower', 'precandidate', 'candidate', 'leader'] as const;
export const STATUS = [
  'request',
  'reply',
  'dropped request',
  'dropped reply',
  'delayed reply',
  'reply to a dead server',
  'unreachable',
] as const;
export const MARKS = ['commit', 'apply', 'snapshot', 'install snapshot', 'vote', 'event'] as const;

const ROLE_EV: Record<string, number> = {
  'become-follower': 0,
  'become-precandidate': 1,
  'become-candidate': 2,
  'become-leader': 3,
};

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * Reads a simulation trace (LogRecords: t, src, ev, fields) into what the viewer draws. Servers
 * are the `raft-i` / `kv-i` sources and the testers' `{i}` fields; message ends are named
 * `end-i-j-…` (Raft tester), `I->J#…` (the testing builders' servers), `kvI->J#…` (key/value
 * servers) or `ckN->J#…` (clerks).
 */
export function buildTraceModel(records: readonly LogRecord[], meta: TraceMeta): TraceModel {
  const lanes: string[] = [];
  const laneIndex = new Map<string, number>();
  const lane = (name: string): number => {
    let i = laneIndex.get(name);
    if (i === undefined) {
      i = lanes.length;
      lanes.push(name);
      laneIndex.set(name, i);
    }
    return i;
  };
  // Servers get the first lanes, in number order.
  const servers = new Set<number>();
  for (const r of records) {
    const m = /^(?:raft|kv)-(\d+)$/.exec(r.src);
    if (m) servers.add(Number(m[1]));
    const i = num(r.i);
    if ((r.src === 'tester' || r.src === 'kv-tester') && i !== undefined) servers.add(i);
  }
  for (const i of [...servers].sort((a, b) => a - b)) lane(`server ${i}`);
  const serverLane = (i: number) => lane(`server ${i}`);
  const endFrom = (end: string): number => {
    let m = /^end-(\d+)-\d+/.exec(end);
    if (m) return serverLane(Number(m[1]));
    m = /^(?:kv)?(\d+)->/.exec(end);
    if (m) return serverLane(Number(m[1]));
    m = /^(.+?)->/.exec(end);
    const from = m ? m[1]! : end;
    // Clerks' ends (ckN) share one lane: their requests are what matters, not which clerk.
    return lane(/^ck\d+$/.test(from) ? 'clerks' : from);
  };
  const endTo = (r: LogRecord): number => {
    const s = r.server;
    if (typeof s === 'string' && /^\d+$/.test(s)) return serverLane(Number(s));
    const end = String(r.end);
    const m = /^end-\d+-(\d+)/.exec(end) ?? /->(\d+)/.exec(end);
    return m ? serverLane(Number(m[1])) : lane(end);
  };

  const model: TraceModel = {
    meta,
    lanes,
    bands: { lane: [], t0: [], t1: [], role: [], term: [] },
    down: { lane: [], t0: [], t1: [] },
    cut: { lane: [], t0: [], t1: [] },
    unreliable: [],
    reordering: [],
    methods: [],
    msgs: { from: [], to: [], t0: [], t1: [], method: [], status: [], rec: [] },
    marks: { lane: [], t: [], kind: [], value: [], rec: [] },
    ops: { lane: [], t0: [], t1: [], text: [], verdict: [], rec: [] },
    records: [],
  };
  const methodIndex = new Map<string, number>();
  const method = (m: string): number => {
    let i = methodIndex.get(m);
    if (i === undefined) {
      i = model.methods.length;
      model.methods.push(m);
      methodIndex.set(m, i);
    }
    return i;
  };
  const tEnd = records.length > 0 ? records[records.length - 1]!.t : 0;
  const t0 = records.length > 0 ? records[0]!.t : 0;

  // Open periods, closed by a later record or at the end.
  const band = new Map<number, { t0: number; role: number; term: number }>();
  const closeBand = (l: number, t: number) => {
    const b = band.get(l);
    if (b === undefined) return;
    model.bands.lane.push(l);
    model.bands.t0.push(b.t0);
    model.bands.t1.push(t);
    model.bands.role.push(b.role);
    model.bands.term.push(b.term);
    band.delete(l);
  };
  const downSince = new Map<number, number>();
  const cutSince = new Map<number, number>();
  let unreliableSince: number | undefined;
  let reorderSince: number | undefined;
  // Server connectivity: links[i] = servers i can talk to (both ways), for "cut off" shading.
  const links = new Map<number, Set<number>>();
  const connected = (i: number) => {
    let s = links.get(i);
    if (s === undefined) {
      s = new Set();
      links.set(i, s);
    }
    return s;
  };
  /** Raft tester: the servers connect(i) has joined (disconnect(i) removes them). */
  const joined = new Set<number>();
  const updateCuts = (t: number) => {
    const majority = Math.floor(servers.size / 2) + 1;
    for (const i of servers) {
      // Size of i's component (links are symmetric in both testers).
      const seen = new Set([i]);
      const stack = [i];
      while (stack.length) {
        const a = stack.pop()!;
        for (const b of connected(a)) {
          if (!seen.has(b) && connected(b).has(a)) {
            seen.add(b);
            stack.push(b);
          }
        }
      }
      const l = serverLane(i);
      const isCut = seen.size < majority;
      if (isCut && !cutSince.has(l)) cutSince.set(l, t);
      if (!isCut && cutSince.has(l)) {
        model.cut.lane.push(l);
        model.cut.t0.push(cutSince.get(l)!);
        model.cut.t1.push(t);
        cutSince.delete(l);
      }
    }
  };
  const mark = (l: number, t: number, kind: number, value: number, rec: number) => {
    model.marks.lane.push(l);
    model.marks.t.push(t);
    model.marks.kind.push(kind);
    model.marks.value.push(value);
    model.marks.rec.push(rec);
  };
  const verdictOf = new Map<number, number>();

  records.forEach((r, k) => {
    const { t, src, ev, ...fields } = r;
    model.records.push([t, src, ev, JSON.stringify(fields)]);
    const server = /^(?:raft|kv)-(\d+)$/.exec(src);
    if (server && src.startsWith('raft')) {
      const l = serverLane(Number(server[1]));
      const term = num(r.term) ?? -1;
      const role = ROLE_EV[ev];
      const open = band.get(l);
      if (ev === 'killed') closeBand(l, t);
      else if (role !== undefined || open === undefined || (term !== -1 && term !== open.term)) {
        const nextRole = role ?? open?.role ?? 0;
        closeBand(l, t);
        band.set(l, { t0: t, role: nextRole, term });
      }
      if (ev === 'commit') mark(l, t, 0, num(r.index) ?? -1, k);
      else if (ev === 'install-snapshot') mark(l, t, 3, num(r.index) ?? -1, k);
      else if (ev === 'vote') mark(l, t, 4, num(r.for) ?? -1, k);
      else if (role === undefined && ev !== 'killed') mark(l, t, 5, -1, k);
      return;
    }
    if (server) {
      // kv-i: the key/value server.
      const l = serverLane(Number(server[1]));
      mark(l, t, ev === 'snapshot' ? 2 : ev === 'install-snapshot' ? 3 : 5, num(r.index) ?? -1, k);
      return;
    }
    if (src === 'tester' || src === 'kv-tester') {
      const i = num(r.i);
      if (ev === 'linearizability') {
        const illegal = Array.isArray(r.illegal) ? (r.illegal as number[]) : [];
        for (const op of illegal) verdictOf.set(op, 1);
        for (const op of Array.isArray(r.failedAt) ? (r.failedAt as number[]) : [])
          verdictOf.set(op, 2);
        model.meta.verdict = String(r.verdict);
        return;
      }
      if (i === undefined) return;
      const l = serverLane(i);
      if (ev === 'crash') {
        closeBand(l, t);
        if (!downSince.has(l)) downSince.set(l, t);
      } else if (ev === 'start') {
        const since = downSince.get(l);
        if (since !== undefined) {
          model.down.lane.push(l);
          model.down.t0.push(since);
          model.down.t1.push(t);
          downSince.delete(l);
        }
      } else if (ev === 'apply') mark(l, t, 1, num(r.index) ?? -1, k);
      else if (ev === 'connect' || ev === 'disconnect') {
        const peers = Array.isArray(r.to)
          ? (r.to as number[])
          : Array.isArray(r.from)
            ? (r.from as number[])
            : undefined;
        const on = ev === 'connect';
        if (src === 'tester') {
          // Raft tester: connect(i) links i with every connected server; disconnect(i) cuts all.
          if (on) {
            joined.add(i);
            for (const j of joined) {
              if (j === i) continue;
              connected(i).add(j);
              connected(j).add(i);
            }
          } else {
            joined.delete(i);
            for (const j of connected(i)) connected(j).delete(i);
            connected(i).clear();
          }
        } else {
          for (const j of peers ?? []) {
            if (j === i) continue;
            if (on) {
              connected(i).add(j);
              connected(j).add(i);
            } else {
              connected(i).delete(j);
              connected(j).delete(i);
            }
          }
        }
        updateCuts(t);
      } else mark(l, t, 5, -1, k);
      return;
    }
    if (src === 'net') {
      if (ev === 'reliable') {
        if (r.on === false) unreliableSince ??= t;
        else if (unreliableSince !== undefined) {
          model.unreliable.push([unreliableSince, t]);
          unreliableSince = undefined;
        }
        return;
      }
      if (ev === 'long-reordering') {
        if (r.on === true) reorderSince ??= t;
        else if (reorderSince !== undefined) {
          model.reordering.push([reorderSince, t]);
          reorderSince = undefined;
        }
        return;
      }
      const end = typeof r.end === 'string' ? r.end : '';
      const m = method(String(r.method ?? '?'));
      const requester = endFrom(end);
      const server = endTo(r);
      const sent = num(r.sent);
      const push = (from: number, to: number, a: number, b: number, status: number) => {
        model.msgs.from.push(from);
        model.msgs.to.push(to);
        model.msgs.t0.push(a);
        model.msgs.t1.push(b);
        model.msgs.method.push(m);
        model.msgs.status.push(status);
        model.msgs.rec.push(k);
      };
      if (ev === 'request') push(requester, server, sent ?? t, t, 0);
      else if (ev === 'reply') push(server, requester, sent ?? t, t, 1);
      else if (ev === 'drop-request') push(requester, server, t, t, 2);
      else if (ev === 'drop-reply') push(server, requester, t, t, 3);
      else if (ev === 'hold-reply') push(server, requester, t, t + (num(r.delay) ?? 0), 4);
      else if (ev === 'dead-reply' || ev === 'dead-server') push(server, requester, t, t, 5);
      else if (ev === 'unreachable') push(requester, server, t, t, 6);
      return;
    }
    const clerk = /^clerk-(-?\d+)$/.exec(src);
    if (clerk && ev === 'op') {
      const l = lane(`client ${clerk[1]}`);
      const kind = String(r.kind);
      const key = JSON.stringify(r.key);
      const text =
        kind === 'get'
          ? `get(${key}) → ${JSON.stringify(r.output)}`
          : `${kind}(${key}, ${JSON.stringify(r.value)})`;
      model.ops.lane.push(l);
      model.ops.t0.push(num(r.callT) ?? t);
      model.ops.t1.push(t);
      model.ops.text.push(text);
      model.ops.verdict.push(num(r.op) ?? -1);
      model.ops.rec.push(k);
      return;
    }
    if (clerk) mark(lane(src), t, 5, -1, k);
  });
  // Close what is still open at the end of the trace.
  for (const l of [...band.keys()]) closeBand(l, tEnd);
  for (const [l, since] of downSince) {
    model.down.lane.push(l);
    model.down.t0.push(since);
    model.down.t1.push(tEnd);
  }
  for (const [l, since] of cutSince) {
    model.cut.lane.push(l);
    model.cut.t0.push(since);
    model.cut.t1.push(tEnd);
  }
  if (unreliableSince !== undefined) model.unreliable.push([unreliableSince, tEnd]);
  if (reorderSince !== undefined) model.reordering.push([reorderSince, tEnd]);
  // Client operations: the op index became the verdict code.
  model.ops.verdict = model.ops.verdict.map((op) => (op < 0 ? 0 : (verdictOf.get(op) ?? 0)));
  model.meta.tEnd = Math.max(tEnd, t0);
  return sortLanes(model);
}

/** Servers by number, then the clerks' lane, then clients by number, then the rest by name. */
function sortLanes(model: TraceModel): TraceModel {
  const rank = (name: string): [number, number, string] => {
    const m = /^(server|client) (-?\d+)$/.exec(name);
    if (m) return [m[1] === 'server' ? 0 : 2, Number(m[2]), ''];
    return [name === 'clerks' ? 1 : 3, 0, name];
  };
  const order = model.lanes
    .map((name, i) => ({ name, i, r: rank(name) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.r[2].localeCompare(b.r[2]));
  const to = new Array<number>(model.lanes.length);
  order.forEach((o, k) => {
    to[o.i] = k;
  });
  const map = (xs: number[]) => xs.map((l) => to[l]!);
  model.lanes = order.map((o) => o.name);
  model.bands.lane = map(model.bands.lane);
  model.down.lane = map(model.down.lane);
  model.cut.lane = map(model.cut.lane);
  model.msgs.from = map(model.msgs.from);
  model.msgs.to = map(model.msgs.to);
  model.marks.lane = map(model.marks.lane);
  model.ops.lane = map(model.ops.lane);
  return model;
}
