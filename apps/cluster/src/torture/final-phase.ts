import type { Agents } from '../client/http-request.js';
import type { NodeLaunch } from './cluster-flavor.js';
import type { HistoryRecorder } from './history.js';
import { kvGet, kvGetPrefix, kvPut } from './kv-ops.js';
import { missingAcknowledged } from './verdict.js';

export interface FinalPhaseInput {
  launches: readonly NodeLaunch[];
  agents: Agents;
  recorder: HistoryRecorder;
  prefix: string;
  keys: number;
  acked: ReadonlyMap<string, string>;
  timeoutMs: number;
  /** How long each fresh write and final read may keep retrying, ms. */
  retryMs: number;
}

/**
 * After the heal: a fresh write through every node must succeed (retrying while the cluster
 * settles), then every contended key is read (recorded in the history, so the checker sees the
 * final state) and the acknowledged fresh keys are read back in one prefix range.
 */
export async function finalPhase(
  input: FinalPhaseInput,
): Promise<{ problems: string[]; freshWrites: number; missing: number }> {
  const { launches, agents, recorder, prefix, timeoutMs } = input;
  const problems: string[] = [];
  let freshWrites = 0;
  for (const l of launches) {
    const url = new URL(l.clientUrl);
    const key = `${prefix}heal/${l.id}`;
    const ok = await retry(input.retryMs, async () => {
      const op = recorder.begin(recorder.newClient(), { op: 'put', key, value: `heal-${l.id}` });
      const r = await kvPut(agents, url, key, `heal-${l.id}`, timeoutMs);
      if (r.kind === 'ok') op.ok();
      else op.unknown();
      return r.kind === 'ok';
    });
    if (ok) freshWrites += 1;
    else
      problems.push(
        `a fresh write through ${l.id} did not succeed within ${input.retryMs} ms after the heal`,
      );
  }
  const reader = new URL(launches[0]!.clientUrl);
  for (let k = 0; k < input.keys; k++) {
    const key = `${prefix}k${k}`;
    const ok = await retry(input.retryMs, async () => {
      const op = recorder.begin(recorder.newClient(), { op: 'get', key });
      const r = await kvGet(agents, reader, key, timeoutMs);
      if (r.kind === 'ok') op.ok({ value: r.value });
      else op.drop();
      return r.kind === 'ok';
    });
    if (!ok) problems.push(`the final read of ${key} did not succeed`);
  }
  let missing = 0;
  let finalRead: Map<string, string> | undefined;
  await retry(input.retryMs, async () => {
    const r = await kvGetPrefix(agents, reader, `${prefix}ack/`, timeoutMs);
    if (r.kind === 'ok') finalRead = r.value;
    return r.kind === 'ok';
  });
  if (finalRead === undefined)
    problems.push('the final read of the acknowledged keys did not succeed');
  else {
    const lost = missingAcknowledged(input.acked, finalRead);
    missing = lost.length;
    if (lost.length > 0) {
      const sample = lost
        .slice(0, 5)
        .map((m) => `${m.key}=${m.expected} (found ${m.found ?? 'nothing'})`);
      problems.push(`${lost.length} acknowledged writes are missing: ${sample.join(', ')}`);
    }
  }
  return { problems, freshWrites, missing };
}

/** Runs `attempt` until it returns true or `boundMs` passes, pausing 100 ms between tries. */
async function retry(boundMs: number, attempt: () => Promise<boolean>): Promise<boolean> {
  const deadline = performance.now() + boundMs;
  for (;;) {
    if (await attempt()) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
