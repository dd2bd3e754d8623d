import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InvalidArgumentError } from '@raftkit/core';
import { WorkerError } from '../errors/worker-error.js';
import type { WorkerMessage, WorkerRequest } from './protocol.js';

/** The worker entry, built beside the bundled library (dist/check-worker.js). */
export const workerUrl = new URL('./check-worker.js', import.meta.url);

/**
 * The parent's Node options, less `--input-type` (set by `node --input-type=module -e …`), which
 * a worker started from a file rejects.
 */
function workerExecArgv(): string[] {
  const args: string[] = [];
  const parent = process.execArgv;
  for (let i = 0; i < parent.length; i++) {
    if (parent[i] === '--input-type') i++;
    else if (!parent[i]!.startsWith('--input-type=')) args.push(parent[i]!);
  }
  return args;
}

export interface WorkerHandlers {
  message(message: WorkerMessage): void;
  /** The thread failed or exited before posting `done`. */
  failure(error: WorkerError): void;
}

/** The threads of one parallel check. `terminate` ends them all; it is safe to call twice. */
export class WorkerPool {
  private readonly live = new Set<Worker>();
  private stopping = false;

  /** Threads started and not yet exited. */
  get size(): number {
    return this.live.size;
  }

  spawn(request: WorkerRequest, handlers: WorkerHandlers): void {
    if (workerUrl.protocol === 'file:' && !existsSync(fileURLToPath(workerUrl))) {
      throw new WorkerError({
        message: `the worker script ${fileURLToPath(workerUrl)} does not exist; the parallel mode runs from the built package (dist/), build it with tsup`,
      });
    }
    let worker: Worker;
    try {
      worker = new Worker(workerUrl, { workerData: request, execArgv: workerExecArgv() });
    } catch (cause) {
      if ((cause as Error).name === 'DataCloneError') {
        throw new InvalidArgumentError({
          argument: 'operations',
          message: `operations must be structured-clonable to reach a worker thread (plain data, no functions or class instances): ${(cause as Error).message}`,
          cause,
        });
      }
      throw new WorkerError({ message: `cannot start a worker thread: ${String(cause)}`, cause });
    }
    this.live.add(worker);
    let done = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'done') done = true;
      handlers.message(message);
    });
    worker.on('error', (cause) => {
      if (!this.stopping) {
        handlers.failure(
          new WorkerError({ message: `worker thread failed: ${cause.message}`, cause }),
        );
      }
    });
    worker.on('exit', (code) => {
      this.live.delete(worker);
      if (!done && !this.stopping) {
        handlers.failure(new WorkerError({ message: `worker thread exited with code ${code}` }));
      }
    });
  }

  /** Terminates every thread and resolves once they have all exited. */
  async terminate(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.live].map((worker) => worker.terminate()));
    this.live.clear();
  }
}
