import type { LabSummary } from '../lab/lab-test.js';
import { appendElement, checkClntAppends } from './appends.js';
import { fail } from './fail.js';
import type { KvTestContext } from './run.js';
import { wallNow } from './wall-clock.js';

/** Lab bound: at least 3 ops per 100 ms heartbeat interval, i.e. ≤ 33.3 ms per op. */
export const SPEED_BOUND_MS_PER_OP = 100 / 3;

/**
 * Lab `GenericTestSpeed`: 3 reliable servers; one Get so a leader exists; 1000 sequential
 * Appends timed; a final Get must hold every append once and in order; fail when the appends
 * took more than 1000 × 33.3 ms of virtual time. Prints virtual and wall ms per op.
 */
export async function genericTestSpeed(
  ctx: KvTestContext,
  part: '4A' | '4B',
  maxRaftState: number,
  numOps = 1000,
): Promise<LabSummary> {
  const cfg = ctx.makeConfig({ n: 3, unreliable: false, maxRaftState });
  const ck = cfg.makeClient(cfg.all());
  cfg.begin(`Test: ops complete fast enough (${part})`);
  // Wait until a first op completes, so a leader is elected and the servers serve requests.
  await ck.get('x');
  const clock = ctx.sim.clock;
  const v0 = clock.now();
  const w0 = wallNow();
  for (let i = 0; i < numOps; i++) await ck.append('x', appendElement(0, i));
  const virtualMs = clock.now() - v0;
  const wallMs = wallNow() - w0;
  const v = await ck.get('x');
  checkClntAppends(0, v, numOps);
  const result = { virtualMsPerOp: virtualMs / numOps, wallMsPerOp: wallMs / numOps };
  ctx.log(
    `  speed (${part}): ${numOps} appends, ${result.virtualMsPerOp.toFixed(2)} virtual ms/op ` +
      `(lab bound ${SPEED_BOUND_MS_PER_OP.toFixed(1)}), ${result.wallMsPerOp.toFixed(3)} wall ms/op` +
      `, maxraftstate=${maxRaftState}, seed=${ctx.seed}`,
  );
  if (virtualMs > numOps * SPEED_BOUND_MS_PER_OP) {
    fail(
      'too-slow',
      `Operations completed too slowly ${result.virtualMsPerOp.toFixed(2)} ms/op > ${SPEED_BOUND_MS_PER_OP.toFixed(1)} ms/op (virtual)`,
    );
  }
  return cfg.end();
}
