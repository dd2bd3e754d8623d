import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@raftkit/core';

/** The folder `raftkit up` uses when --data-dir is not given (relative to the working directory). */
export const DEFAULT_UP_DATA_DIR = 'raftkit-data';

/** What `raftkit up` remembers in `<data-dir>/cluster.json`, so a restart brings the same cluster back. */
export interface UpPlan {
  engine: 'raftkit' | 'etcd';
  clusterId: string;
  nodes: { id: string; clientPort: number; peerPort: number }[];
}

/** Default ports for node i (0-based): client 12379, 22379, …; peer 12380, 22380, … */
export function defaultPorts(i: number): { clientPort: number; peerPort: number } {
  return { clientPort: 10_000 * (i + 1) + 2379, peerPort: 10_000 * (i + 1) + 2380 };
}

/**
 * The cluster in `dataDir`: the stored plan when there is one (it must agree with what was
 * asked), else a new plan that is written there.
 */
export function loadOrCreatePlan(
  dataDir: string,
  asked: { engine: UpPlan['engine']; nodes: number; clientPorts?: number[]; peerPorts?: number[] },
): { plan: UpPlan; restarted: boolean } {
  const file = join(dataDir, 'cluster.json');
  if (existsSync(file)) {
    const plan = JSON.parse(readFileSync(file, 'utf8')) as UpPlan;
    if (plan.engine !== asked.engine || plan.nodes.length !== asked.nodes) {
      throw new InvalidArgumentError({
        argument: 'data-dir',
        message: `${dataDir} holds a ${plan.nodes.length}-node ${plan.engine} cluster, not a ${asked.nodes}-node ${asked.engine} one; use another --data-dir or the same settings`,
      });
    }
    return { plan, restarted: true };
  }
  for (const [name, list] of [
    ['client-ports', asked.clientPorts],
    ['peer-ports', asked.peerPorts],
  ] as const) {
    if (list !== undefined && list.length !== asked.nodes) {
      throw new InvalidArgumentError({
        argument: name,
        message: `--${name} needs ${asked.nodes} ports, got ${list.length}`,
      });
    }
  }
  const plan: UpPlan = {
    engine: asked.engine,
    clusterId: `up-${Date.now().toString(36)}`,
    nodes: Array.from({ length: asked.nodes }, (_, i) => ({
      id: `n${i + 1}`,
      clientPort: asked.clientPorts?.[i] ?? defaultPorts(i).clientPort,
      peerPort: asked.peerPorts?.[i] ?? defaultPorts(i).peerPort,
    })),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(plan, null, 2)}\n`);
  return { plan, restarted: false };
}
