import type { Rng } from '@raftkit/core';
import type { Agents } from '../client/http-request.js';
import type { HistoryRecorder, PendingOp } from './history.js';
import { kvGet, kvPut } from './kv-ops.js';

export interface TortureClientOptions {
  endpoints: readonly URL[];
  recorder: HistoryRecorder;
  agents: Agents;
  rng: Rng;
  /** Contended keys `<prefix>k0 … k(n-1)`, read and overwritten by every client. */
  keys: number;
  /** Fraction of ops that write a fresh, never-overwritten key under `<prefix>ack/` (checked at the end). */
  ackFraction: number;
  /** Fraction of ops that are linearizable reads of a contended key. */
  readFraction: number;
  timeoutMs: number;
  prefix: string;
}

/** Pause after a failed op so a dead endpoint does not become a tight loop, ms. */
const FAILURE_PAUSE_MS = 50;

/**
 * Closed-loop clients that send every operation to a random node (any node serves reads and
 * forwards writes) and record each in the history. Puts write unique values (`w<worker>.<n>`), so
 * every read names the write it saw.
 */
export class TortureClients {
  /** Fresh keys whose put was acknowledged, with their values: all must be present at the end. */
  readonly acked = new Map<string, string>();
  private stopped = false;
  private running: Promise<void>[] = [];
  failedReads = 0;
  /** Writes refused before they were sent (left out of the history). */
  definiteFailures = 0;

  constructor(private readonly o: TortureClientOptions) {}

  start(count: number): void {
    for (let w = 0; w < count; w++)
      this.running.push(this.worker(w, this.o.rng.fork(`worker-${w}`)));
  }

  /** Stops issuing; resolves true when every client finished its last op within `boundMs`. */
  async stop(boundMs: number): Promise<boolean> {
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.all(this.running).then(() => true),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), boundMs);
      }),
    ]);
    clearTimeout(timer);
    return finished;
  }

  private async worker(w: number, rng: Rng): Promise<void> {
    const { recorder, agents, endpoints, timeoutMs, prefix } = this.o;
    let client = recorder.newClient();
    let seq = 0;
    while (!this.stopped) {
      const url = endpoints[rng.int(0, endpoints.length - 1)]!;
      const draw = rng.float();
      seq += 1;
      const value = `w${w}.${seq}`;
      let failed: false | 'dropped' | 'unknown' = false;
      if (draw < this.o.ackFraction) {
        const key = `${prefix}ack/w${w}/${seq}`;
        const op = recorder.begin(client, { op: 'put', key, value });
        const r = await kvPut(agents, url, key, value, timeoutMs);
        if (r.kind === 'ok') {
          op.ok();
          this.acked.set(key, value);
        } else failed = this.failedWrite(op, r.definite === true);
      } else if (draw < this.o.ackFraction + this.o.readFraction) {
        const key = `${prefix}k${rng.int(0, this.o.keys - 1)}`;
        const op = recorder.begin(client, { op: 'get', key });
        const r = await kvGet(agents, url, key, timeoutMs);
        if (r.kind === 'ok') op.ok({ value: r.value });
        else {
          op.drop();
          this.failedReads += 1;
          await sleep(FAILURE_PAUSE_MS);
        }
      } else {
        const key = `${prefix}k${rng.int(0, this.o.keys - 1)}`;
        const op = recorder.begin(client, { op: 'put', key, value });
        const r = await kvPut(agents, url, key, value, timeoutMs);
        if (r.kind === 'ok') op.ok();
        else failed = this.failedWrite(op, r.definite === true);
      }
      if (failed === 'unknown') {
        // The unknown op stays open forever in the history, so this client id is retired.
        client = recorder.newClient();
      }
      if (failed !== false) await sleep(FAILURE_PAUSE_MS);
    }
  }

  /**
   * A write that failed: when the request was never sent (connection refused) it did not happen
   * and leaves the history; otherwise its outcome is unknown (it stays open for the checker).
   */
  private failedWrite(op: PendingOp, definite: boolean): 'dropped' | 'unknown' {
    if (definite) {
      op.drop();
      this.definiteFailures += 1;
      return 'dropped';
    }
    op.unknown();
    return 'unknown';
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
