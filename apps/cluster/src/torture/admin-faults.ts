import { createAgents, destroyAgents, httpRequest } from '../client/http-request.js';
import type { NetworkFaults, NodeLaunch } from './cluster-flavor.js';

/** How long a fault request keeps retrying a node that does not answer (it may be restarting), ms. */
const RETRY_MS = 3000;

/**
 * NetworkFaults over each raftkit node's loopback fault admin endpoint (`POST /faults`, see
 * src/serve/fault-admin.ts). A partition cuts both directions on every node toward every node
 * of another group. A one-way cut from A to B loses A's calls to B (cut 'out' on A) and the
 * replies to B's calls to A (B drops replies from A), so no message travels from A to B while
 * B's requests still reach A. Heal clears every rule and cut. Best effort: a node that is down
 * (killed, or restarting past the retry bound) is skipped; a restarted node starts with no
 * faults anyway. `failures` counts the skips.
 */
export function adminFaults(launches: readonly NodeLaunch[]): NetworkFaults & { failures: number } {
  const agents = createAgents(4);
  const byId = new Map(launches.map((l) => [l.id, l]));
  const state = { failures: 0 };
  const post = async (id: string, body: unknown): Promise<void> => {
    const url = byId.get(id)?.adminUrl;
    if (url === undefined) {
      state.failures += 1;
      return;
    }
    const deadline = performance.now() + RETRY_MS;
    for (;;) {
      try {
        const r = await httpRequest({
          agents,
          url: new URL(url),
          method: 'POST',
          path: '/faults',
          body: Buffer.from(JSON.stringify(body)),
          timeoutMs: 1000,
        });
        if (r.status === 200) return;
      } catch {
        // down or paused: retry until the bound
      }
      if (performance.now() >= deadline) {
        state.failures += 1;
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const faults = {
    get failures() {
      return state.failures;
    },
    async partition(groups: readonly (readonly string[])[]) {
      await Promise.all(
        groups.flatMap((group) =>
          group.map((id) =>
            post(id, {
              cut: launches
                .filter((l) => !group.includes(l.id))
                .map((l) => ({ peer: l.id, direction: 'both' })),
            }),
          ),
        ),
      );
    },
    async cutOneWay(from: string, to: string) {
      await Promise.all([
        post(from, { cut: [{ peer: to, direction: 'out' }] }),
        post(to, { set: [{ peer: from, dropReplies: 1 }] }),
      ]);
    },
    async heal() {
      await Promise.all(launches.map((l) => post(l.id, { clear: true })));
    },
    close() {
      destroyAgents(agents);
    },
  };
  return faults;
}
