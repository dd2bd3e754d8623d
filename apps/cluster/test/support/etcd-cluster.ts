import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayClient } from '../../src/client/gateway-client.js';
import type { NodeLaunch } from '../../src/torture/cluster-flavor.js';
import { waitUntilHealthy } from '../../src/torture/cluster-watch.js';
import { etcdFlavor } from '../../src/torture/etcd-flavor.js';
import { ProcessManager } from '../../src/torture/process-manager.js';
import { freePorts } from '../../src/util/free-ports.js';

/** Throws a message naming the install script when Debian's etcd is missing. */
export function requireEtcd(): void {
  try {
    execFileSync('etcd', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'etcd is not installed: run `bash scripts/install-system-deps.sh` from the repository root (Debian: apt-get install -y etcd-server etcd-client)',
    );
  }
}

export interface TestEtcd {
  launches: NodeLaunch[];
  endpoints: URL[];
  /** Comma-separated client URLs for --endpoints. */
  endpointList: string;
  pm: ProcessManager;
  dir: string;
  stop(): Promise<void>;
}

/**
 * A private etcd cluster on 127.0.0.1 (free ports, a temporary data dir), started by pid and
 * healthy with a leader; `stop()` ends every member and deletes the data.
 */
export async function startEtcd(nodes = 3): Promise<TestEtcd> {
  requireEtcd();
  const dir = mkdtempSync(join(tmpdir(), 'raftkit-etcd-test-'));
  const ports = await freePorts(2 * nodes);
  const launches = etcdFlavor().plan({
    nodes,
    baseDir: join(dir, 'data'),
    clientPorts: ports.slice(0, nodes),
    peerPorts: ports.slice(nodes),
    clusterToken: `test-${process.pid}-${ports[0]}`,
  });
  const pm = new ProcessManager(launches, join(dir, 'logs'));
  const stop = async () => {
    await pm.stopAll(3000);
    rmSync(dir, { recursive: true, force: true });
  };
  for (const l of launches) pm.start(l.id);
  const endpoints = launches.map((l) => new URL(l.clientUrl));
  const admin = new GatewayClient({ endpoints, timeoutMs: 500 });
  const leader = await waitUntilHealthy(admin, launches, 30_000);
  admin.close();
  if (leader === undefined) {
    await stop();
    throw new Error('the test etcd cluster did not become healthy within 30 s');
  }
  return {
    launches,
    endpoints,
    endpointList: launches.map((l) => l.clientUrl).join(','),
    pm,
    dir,
    stop,
  };
}
