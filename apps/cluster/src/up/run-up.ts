import { join, resolve } from 'node:path';
import { GatewayClient } from '../client/gateway-client.js';
import type { ClusterFlavor, NodeLaunch } from '../torture/cluster-flavor.js';
import { waitUntilHealthy } from '../torture/cluster-watch.js';
import { etcdFlavor } from '../torture/etcd-flavor.js';
import { ProcessManager } from '../torture/process-manager.js';
import { raftkitFlavor } from '../torture/raftkit-flavor.js';
import { defaultPorts, loadOrCreatePlan, type UpPlan } from './up-plan.js';

export interface UpOptions {
  engine: UpPlan['engine'];
  nodes: 3 | 5;
  dataDir: string;
  clientPorts?: number[];
  peerPorts?: number[];
  json: boolean;
  /** How long to wait for a leader before saying so, ms. */
  readyMs: number;
  print: (line: string) => void;
  /** How the printed hints invoke the CLI (default `raftkit`). */
  cliCommand?: string;
}

export interface UpHandle {
  launches: NodeLaunch[];
  pm: ProcessManager;
  /** The leader's node id once one is elected, undefined when none was within readyMs. */
  ready: Promise<string | undefined>;
  /** Stops every node this run started (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/**
 * `raftkit up`: each node as its own process (logs in `<data-dir>/logs/<id>.log`), one line per
 * node, then `ready` with the leader. The plan in `<data-dir>/cluster.json` makes a second run
 * on the same folder bring back the same cluster with its data.
 */
export function startUp(o: UpOptions): UpHandle {
  const dataDir = resolve(o.dataDir);
  const { plan, restarted } = loadOrCreatePlan(dataDir, o);
  const flavor: ClusterFlavor = plan.engine === 'etcd' ? etcdFlavor() : raftkitFlavor();
  const launches = flavor.plan({
    nodes: plan.nodes.length,
    baseDir: dataDir,
    clientPorts: plan.nodes.map((n) => n.clientPort),
    peerPorts: plan.nodes.map((n) => n.peerPort),
    clusterToken: plan.clusterId,
  });
  const pm = new ProcessManager(launches, join(dataDir, 'logs'));
  const emit = (text: string, obj: Record<string, unknown>) =>
    o.print(o.json ? JSON.stringify(obj) : text);
  for (const l of launches) {
    const pid = pm.start(l.id);
    emit(
      `${l.id} pid=${pid} client=${l.clientUrl} peer=${l.peerUrl} data=${l.dataDir} log=${pm.logPath(l.id)}`,
      {
        event: 'node',
        id: l.id,
        pid,
        clientUrl: l.clientUrl,
        peerAddress: l.peerUrl,
        dataDir: l.dataDir,
        log: pm.logPath(l.id),
        // The node's own command line: run it again to restart just this node on its data dir.
        argv: [l.command, ...l.args],
      },
    );
  }
  let stopped = false;
  const watcher = setInterval(() => {
    for (const e of pm.unexpectedExits()) {
      if ((e as { reported?: boolean }).reported) continue;
      (e as { reported?: boolean }).reported = true;
      emit(
        `${e.node} exited by itself (code ${e.code}, signal ${e.signal}); see ${pm.logPath(e.node)}`,
        { event: 'exit', id: e.node, pid: e.pid, code: e.code, signal: e.signal },
      );
    }
  }, 200);
  const admin = new GatewayClient({
    endpoints: launches.map((l) => new URL(l.clientUrl)),
    timeoutMs: 500,
  });
  const ready = waitUntilHealthy(admin, launches, o.readyMs).then((leader) => {
    admin.close();
    if (stopped) return leader;
    const endpoints = launches.map((l) => l.clientUrl).join(',');
    if (leader === undefined) {
      emit(`no leader within ${o.readyMs} ms; see the logs in ${join(dataDir, 'logs')}`, {
        event: 'no-leader',
        waitedMs: o.readyMs,
      });
      return undefined;
    }
    emit(`ready leader=${leader}${restarted ? ' (restarted on existing data)' : ''}`, {
      event: 'ready',
      leader,
      restarted,
      endpoints: endpoints.split(','),
    });
    if (!o.json) {
      const first = launches[0]!.clientUrl;
      const cli = o.cliCommand ?? 'raftkit';
      // The client verbs default to the endpoints of the default ports.
      const defaults = launches.every(
        (l, i) => l.clientUrl === `http://127.0.0.1:${defaultPorts(i).clientPort}`,
      );
      const ep = defaults && launches.length === 3 ? '' : ` --endpoints ${endpoints}`;
      o.print(`  try: curl -s ${first}/v3/kv/put -d '{"key":"aGVsbG8=","value":"d29ybGQ="}'`);
      o.print(`       curl -s ${first}/v3/kv/range -d '{"key":"aGVsbG8="}'`);
      o.print(`       ${cli} put hello world${ep} && ${cli} get hello${ep}`);
      o.print(`  metrics: ${first}/metrics   logs: ${join(dataDir, 'logs')}`);
      o.print(
        '  Ctrl-C stops every node; the same --data-dir brings the cluster back with its data.',
      );
    }
    return leader;
  });
  return {
    launches,
    pm,
    ready,
    async stop() {
      stopped = true;
      clearInterval(watcher);
      await pm.stopAll(5000);
    },
  };
}
