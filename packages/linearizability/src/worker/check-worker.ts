// The worker-thread entry of `checkOperationsParallel`, built by tsup as dist/check-worker.js.
// It loads the model named in `workerData`, checks its batch of partitions with the same scheduler
// as `checkOperations` (smallest first, interleaved), and posts each partition's result as soon
// as it is final, then `done`.
import { parentPort, workerData } from 'node:worker_threads';
import type { Model, Operation } from '../model.js';
import { resolveOptions } from '../options.js';
import { loadModel } from '../parallel/model-ref.js';
import {
  encodeStates,
  STOP,
  type WorkerMessage,
  type WorkerRequest,
  wallNow,
} from '../parallel/protocol.js';
import { schedule } from '../scheduler.js';

const post = (message: WorkerMessage) => parentPort!.postMessage(message);

async function main(request: WorkerRequest): Promise<void> {
  const loaded = await loadModel(request.model);
  const ops: Operation<unknown, unknown>[] = [];
  const groups: number[][] = [];
  for (const part of request.partitions) {
    groups.push(part.map((_, i) => ops.length + i));
    ops.push(...part);
  }
  // The same model with the batch's partitions as its partitioning (groups are contiguous, so
  // the scheduler's partition order is the batch order).
  const model: Model<unknown, unknown, unknown> = Object.create(loaded);
  model.partition = () => groups;
  // A signal-like view of the shared stop flag, read by the scheduler between slices.
  const signal = {
    get aborted() {
      return Atomics.load(request.stop, 0) !== STOP.running;
    },
  } as AbortSignal;
  const remaining = request.deadline - wallNow();
  const options = resolveOptions({
    explain: request.explain,
    maxCacheEntries: request.maxCacheEntries,
    memoryBudgetBytes: request.memoryBudgetBytes,
    ...(Number.isFinite(request.maxSteps) ? { maxSteps: request.maxSteps } : {}),
    partialLinearizations: request.partial,
    timeoutMs: Number.isFinite(request.deadline) ? Math.max(remaining, 1) : undefined,
    signal,
    sliceMs: 5,
  });
  // Cooperative slices only so that the stop flag is read often; no need to yield in a worker.
  const run = schedule(model, ops, options, true, (result) => {
    const { key: _key, ...rest } = result;
    post({
      type: 'partition',
      result: { ...rest, states: encodeStates(request.model, result.states) },
    });
  });
  while (!run.next().done) {
    // next slice
  }
  post({ type: 'done' });
}

main(workerData as WorkerRequest).catch((error: unknown) => {
  const e = error as Partial<{ message: string; stack: string; code: string; argument: string }>;
  post({
    type: 'error',
    message: e?.message ?? String(error),
    stack: e?.stack,
    code: e?.code,
    argument: e?.argument,
  });
});
