import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { GatewayClient } from '../src/client/gateway-client.js';
import { get, put } from '../src/client/kv.js';
import { adminFaults } from '../src/torture/admin-faults.js';
import { waitUntilHealthy } from '../src/torture/cluster-watch.js';
import { ProcessManager } from '../src/torture/process-manager.js';
import { raftkitFlavor } from '../src/torture/raftkit-flavor.js';
import { freePorts } from '../src/util/free-ports.js';
import { CLI } from './support/run-cli.js';
import { eventually } from './support/up-run.js';

const dir = mkdtempSync(join(tmpdir(), 'raftkit-netfaults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The torture run's network faults reach the real transports: each node's loopback admin
// endpoint drives its TCP fault layer.
describe('network faults through the admin endpoints', () => {
  test('partitioning the leader: the majority elects another and takes writes, the old leader serves no linearizable read; one-way cut; heal', async () => {
    const ports = await freePorts(9);
    const launches = raftkitFlavor(CLI).plan({
      nodes: 3,
      baseDir: join(dir, 'data'),
      clientPorts: ports.slice(0, 3),
      peerPorts: ports.slice(3, 6),
      adminPorts: ports.slice(6),
      clusterToken: `netfaults-${process.pid}`,
    });
    const pm = new ProcessManager(launches, join(dir, 'logs'));
    const admin = new GatewayClient({
      endpoints: launches.map((l) => new URL(l.clientUrl)),
      timeoutMs: 500,
    });
    const faults = adminFaults(launches);
    const client = (id: string) =>
      new GatewayClient({
        endpoints: [new URL(launches.find((l) => l.id === id)!.clientUrl)],
        timeoutMs: 1500,
      });
    try {
      for (const l of launches) pm.start(l.id);
      const leader = await waitUntilHealthy(admin, launches, 30_000);
      expect(leader).toBeDefined();
      const rest = launches.filter((l) => l.id !== leader);
      await put(client(rest[0]!.id), 'k', 'before');

      await faults.partition([[leader!], rest.map((l) => l.id)]);
      const next = await waitUntilHealthy(admin, rest, 15_000);
      expect(next).toBeDefined();
      expect(next).not.toBe(leader);
      await eventually(() => put(client(rest[1]!.id), 'k', 'during'));
      // The isolated old leader cannot confirm its leadership: no linearizable read there.
      await expect(get(client(leader!), 'k')).rejects.toThrow();

      await faults.heal();
      expect(await waitUntilHealthy(admin, launches, 15_000)).toBeDefined();
      expect((await eventually(() => get(client(leader!), 'k'))).kvs[0]?.value).toBe('during');

      // A one-way cut from the current leader to a follower: nothing flows leader → follower,
      // so the follower stops hearing heartbeats; the cluster still takes writes.
      const now = (await waitUntilHealthy(admin, launches, 15_000))!;
      const victim = launches.find((l) => l.id !== now)!.id;
      await faults.cutOneWay(now, victim);
      await eventually(() => put(client(now), 'k', 'cut'));
      await faults.heal();
      expect(await waitUntilHealthy(admin, launches, 15_000)).toBeDefined();
      expect(
        (
          await eventually(async () => {
            const r = await get(client(victim), 'k', { serializable: true });
            if (r.kvs[0]?.value !== 'cut') throw new Error('not yet');
            return r;
          })
        ).kvs[0]?.value,
      ).toBe('cut');
      expect(faults.failures).toBe(0);
    } finally {
      faults.close?.();
      admin.close();
      await pm.stopAll(5000);
    }
    expect(pm.unexpectedExits()).toEqual([]);
  }, 90_000);
});
