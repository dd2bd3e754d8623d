import { InvalidHistoryError } from './errors/invalid-history-error.js';
import type { Event, Operation } from './model.js';

/**
 * Turns an event history into operations whose times are event positions. A call without a
 * return gets `return: null` (unknown outcome, as porcupine appends its return at the end).
 * Operations come out in order of their call events.
 * Throws `InvalidHistoryError` naming the event for a duplicate call, a return without a call,
 * a second return, or a malformed event.
 */
export function eventsToOperations<I, O>(events: readonly Event<I, O>[]): Operation<I, O>[] {
  if (!Array.isArray(events)) {
    throw new InvalidHistoryError({
      field: 'events',
      message: 'events must be an array of { kind: "call" | "return", id, client, value }',
    });
  }
  const ops: Operation<I, O>[] = [];
  const byId = new Map<number, Operation<I, O>>();
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as Event<I, O> | null;
    const fail = (field: string, message: string): never => {
      throw new InvalidHistoryError({
        operation: i,
        field: `events[${i}]${field ? `.${field}` : ''}`,
        message: `event ${i}${field ? ` field "${field}"` : ''}: ${message}`,
      });
    };
    if (typeof event !== 'object' || event === null) {
      fail('', 'must be an object { kind, id, client, value }');
      return ops;
    }
    if (typeof event.id !== 'number' || !Number.isFinite(event.id)) {
      fail('id', 'must be a number that identifies the operation');
    }
    if (event.kind === 'call') {
      if (typeof event.client !== 'number' || !Number.isFinite(event.client)) {
        fail('client', 'must be a number');
      }
      if (byId.has(event.id)) fail('id', `operation ${event.id} is called twice`);
      const op: Operation<I, O> = {
        client: event.client,
        input: event.value,
        call: i,
        return: null,
      };
      byId.set(event.id, op);
      ops.push(op);
    } else if (event.kind === 'return') {
      const op = byId.get(event.id);
      if (op === undefined) fail('id', `return of operation ${event.id}, which was never called`);
      else if (op.return !== null) fail('id', `operation ${event.id} returns twice`);
      else {
        op.return = i;
        op.output = event.value;
      }
    } else {
      fail(
        'kind',
        `must be "call" or "return", got ${JSON.stringify((event as { kind?: unknown }).kind) ?? 'nothing'}`,
      );
    }
  }
  return ops;
}
