import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { NodeRole, NodeView } from './node-runtime.js';

const ROLES: readonly NodeRole[] = ['leader', 'follower', 'candidate'];

/** The gateway operation a request path names, for the request-latency label. */
export function operationOf(path: string): string {
  const m =
    /^\/v3(?:beta)?\/(kv\/range|kv\/put|kv\/deleterange|kv\/txn|kv\/compaction|maintenance\/status|cluster\/member\/list|maintenance\/transfer-leadership)$/.exec(
      path,
    );
  return m ? m[1]!.replace('/', '_') : 'other';
}

/**
 * The Prometheus registry of one serve process (prom-client): Raft term, role, commit and
 * applied index, proposals, transport drops and reconnects read from the node at each scrape;
 * WAL fsync latency and request latency by operation observed as they happen. Node.js process
 * metrics are not included (keep scrapes small).
 */
export class ServeMetrics {
  readonly registry = new Registry();
  readonly walFsync: Histogram;
  readonly requests: Histogram<'op' | 'code'>;

  constructor(view: () => NodeView | undefined, labels: { node: string; cluster: string }) {
    const r = this.registry;
    r.setDefaultLabels(labels);
    const gauge = (name: string, help: string, read: (v: NodeView) => number) =>
      new Gauge({
        name,
        help,
        registers: [r],
        collect() {
          const v = view();
          if (v !== undefined) this.set(read(v));
        },
      });
    const counter = (name: string, help: string, read: (v: NodeView) => number) =>
      new Counter({
        name,
        help,
        registers: [r],
        collect() {
          const v = view();
          if (v === undefined) return;
          this.reset();
          this.inc(read(v));
        },
      });
    gauge('raftkit_raft_term', 'Current Raft term', (v) => v.term);
    gauge('raftkit_raft_commit_index', 'Highest log index known committed', (v) => v.commitIndex);
    gauge(
      'raftkit_raft_applied_index',
      'Highest log index applied to the state machine',
      (v) => v.appliedIndex,
    );
    new Gauge({
      name: 'raftkit_raft_role',
      help: 'Raft role: 1 for the role this node has, 0 for the others',
      labelNames: ['role'],
      registers: [r],
      collect() {
        const v = view();
        if (v === undefined) return;
        for (const role of ROLES) this.set({ role }, v.role === role ? 1 : 0);
      },
    });
    counter(
      'raftkit_raft_proposals_total',
      'Commands proposed to Raft by this node',
      (v) => v.proposals,
    );
    counter(
      'raftkit_transport_drops_total',
      'Messages the transport dropped (full queue, cut link)',
      (v) => v.transportDrops,
    );
    counter(
      'raftkit_transport_reconnects_total',
      'Peer connections re-established',
      (v) => v.transportReconnects,
    );
    this.walFsync = new Histogram({
      name: 'raftkit_wal_fsync_seconds',
      help: 'Latency of one WAL sync: a datasync, or a group commit written and synced in one O_DSYNC write',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [r],
    });
    this.requests = new Histogram({
      name: 'raftkit_request_duration_seconds',
      help: 'Client request latency on the HTTP gateway, by operation and status code',
      labelNames: ['op', 'code'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [r],
    });
  }
}
