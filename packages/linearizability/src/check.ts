import { eventsToOperations } from './events.js';
import type { Event, Model, Operation } from './model.js';
import { type CheckAsyncOptions, type CheckOptions, resolveOptions } from './options.js';
import type { CheckResult } from './result.js';
import { schedule } from './scheduler.js';
import { validateOperations } from './validate.js';

/**
 * Checks that a history of operations is linearizable with respect to `model`. Synchronous:
 * it blocks until done or until `timeoutMs`; use `checkOperationsAsync` to keep the event loop
 * responsive. Throws `InvalidHistoryError` for a malformed history.
 */
export function checkOperations<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  options: CheckOptions = {},
): CheckResult<S> {
  const resolved = resolveOptions(options);
  validateOperations(operations);
  const run = schedule(model, operations, resolved, false);
  for (;;) {
    const next = run.next();
    if (next.done) return next.value;
  }
}

/** Like `checkOperations` for a history of call and return events in the order they happened. */
export function checkEvents<S, I, O>(
  model: Model<S, I, O>,
  events: readonly Event<I, O>[],
  options: CheckOptions = {},
): CheckResult<S> {
  return checkOperations(model, eventsToOperations(events), options);
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Cooperative `checkOperations`: runs the search in slices of at most `sliceMs` (default 10 ms)
 * and yields to the event loop between them. `signal` cancels it: the promise then resolves with
 * verdict `unknown` (reason `aborted`) for the undecided partitions.
 */
export async function checkOperationsAsync<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  options: CheckAsyncOptions = {},
): Promise<CheckResult<S>> {
  const resolved = resolveOptions(options);
  validateOperations(operations);
  const run = schedule(model, operations, resolved, true);
  for (;;) {
    const next = run.next();
    if (next.done) return next.value;
    await turn();
  }
}

/** Cooperative `checkEvents`. */
export async function checkEventsAsync<S, I, O>(
  model: Model<S, I, O>,
  events: readonly Event<I, O>[],
  options: CheckAsyncOptions = {},
): Promise<CheckResult<S>> {
  return checkOperationsAsync(model, eventsToOperations(events), options);
}
