import { InvalidHistoryError } from '../errors/invalid-history-error.js';
import type { AnyModel, Operation } from '../model.js';
import { etcdModel } from '../models/etcd.js';
import { kvModel } from '../models/kv.js';
import { registerModel } from '../models/register.js';
import { type Annotation, parseAnnotations } from '../annotations.js';
import { locateJsonError } from './json-error.js';

/** The models a JSON history can name in its `"model"` field. */
export const builtinModels: Readonly<Record<string, AnyModel>> = {
  kv: kvModel,
  register: registerModel,
  etcd: etcdModel,
};

export interface ParsedHistory {
  /** The model named by the document. */
  model: AnyModel;
  /** Operations in document order (for an event history: in order of their call events). */
  operations: Operation<unknown, unknown>[];
  /** Free-form events to draw on the time axis (the `"annotations"` field), if any. */
  annotations?: Annotation[];
}

export interface ParseHistoryOptions {
  /** Extra models by name (they may shadow the built-in ones). */
  models?: Record<string, AnyModel>;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Names the field of an error a model's decoder threw (`FieldError` has a `field`). */
function nested(prefix: string, error: unknown): { field: string; message: string } {
  const inner = (error as { field?: unknown }).field;
  const field = typeof inner === 'string' && inner !== '' ? `${prefix}.${inner}` : prefix;
  return { field, message: error instanceof Error ? error.message : String(error) };
}

/**
 * Parses a JSON history (format in the README): `{"model": "kv", "operations": [...]}` or
 * `{"model": "kv", "events": [...]}`. Times are non-negative integers; `"return": null` means an
 * unknown outcome. Throws `InvalidHistoryError` naming the operation (or event) index and field,
 * or the line of a JSON syntax error.
 */
export function parseHistoryJson(text: string, options: ParseHistoryOptions = {}): ParsedHistory {
  if (typeof text !== 'string') {
    throw new InvalidHistoryError({
      message: `a JSON history must be a string, got ${typeof text}`,
    });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    const { line, column, expected, atEnd } = locateJsonError(text);
    throw new InvalidHistoryError({
      line,
      cause,
      message: `line ${line}, column ${column}: not valid JSON: expected ${expected}${atEnd ? ' before the end of the text' : ''}`,
    });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new InvalidHistoryError({
      message: `a history must be a JSON object {"model": ..., "operations": [...]}, got ${show(doc)}`,
    });
  }
  const record = doc as Record<string, unknown>;
  const model = pickModel(record.model, options);
  const hasOps = 'operations' in record;
  const hasEvents = 'events' in record;
  if (hasOps === hasEvents) {
    throw new InvalidHistoryError({
      field: hasOps ? 'events' : 'operations',
      message: `field "${hasOps ? 'events' : 'operations'}": a history needs exactly one of the fields "operations" and "events"`,
    });
  }
  const field = hasOps ? 'operations' : 'events';
  const list = record[field];
  if (!Array.isArray(list)) {
    throw new InvalidHistoryError({
      field,
      message: `field "${field}" must be an array, got ${show(list)}`,
    });
  }
  const decoder = new HistoryDecoder(model);
  for (let i = 0; i < list.length; i++) {
    if (hasOps) decoder.operation(list[i], i);
    else decoder.event(list[i], i);
  }
  const annotations =
    record.annotations === undefined ? undefined : parseAnnotations(record.annotations);
  return { model, operations: decoder.operations, ...(annotations ? { annotations } : {}) };
}

/** The model named by a document's `"model"` field. Throws `InvalidHistoryError`. */
export function pickModel(name: unknown, options: ParseHistoryOptions = {}): AnyModel {
  const models = { ...builtinModels, ...options.models };
  const names = Object.keys(models)
    .map((n) => `"${n}"`)
    .join(', ');
  if (typeof name !== 'string' || !Object.hasOwn(models, name)) {
    throw new InvalidHistoryError({
      field: 'model',
      message: `field "model" must be one of ${names}, got ${show(name)}`,
    });
  }
  return models[name]!;
}

function decode(
  model: AnyModel,
  at: string,
  index: number,
  raw: unknown,
  ...forOutput: [unknown?]
) {
  const isInput = forOutput.length === 0;
  const input = forOutput[0];
  try {
    if (isInput) return model.parseInput ? model.parseInput(raw) : raw;
    if (model.parseOutput) return model.parseOutput(raw, input);
    return raw === null ? undefined : raw;
  } catch (error) {
    const { field, message } = nested(`${at}.${isInput ? 'input' : 'output'}`, error);
    throw new InvalidHistoryError({
      operation: index,
      field,
      message: `${field}: ${message}`,
      cause: error,
    });
  }
}

function integer(value: unknown, at: string, field: string, index: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidHistoryError({
      operation: index,
      field: `${at}.${field}`,
      message: `${at}.${field}: must be a non-negative integer, got ${show(value)}`,
    });
  }
  return value;
}

/** A call or return time: a finite non-negative number; fractions allowed (virtual ms). */
function time(value: unknown, at: string, field: string, index: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidHistoryError({
      operation: index,
      field: `${at}.${field}`,
      message: `${at}.${field}: must be a non-negative number (a time; fractions allowed), got ${show(value)}`,
    });
  }
  return value;
}

function entry(value: unknown, name: string, index: number): Record<string, unknown> {
  const at = `${name}[${index}]`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidHistoryError({
      operation: index,
      field: at,
      message: `${at}: must be an object, got ${show(value)}`,
    });
  }
  return value as Record<string, unknown>;
}

/**
 * Decodes a history's operations (or events) one at a time, so that a streaming reader can feed
 * it element by element. Throws `InvalidHistoryError` naming the element and field.
 */
export class HistoryDecoder {
  readonly operations: Operation<unknown, unknown>[] = [];
  private readonly byId = new Map<number, Operation<unknown, unknown>>();

  constructor(readonly model: AnyModel) {}

  operation(raw: unknown, i: number): void {
    const { model } = this;
    const at = `operations[${i}]`;
    const o = entry(raw, 'operations', i);
    const client = integer(o.client, at, 'client', i);
    const call = time(o.call, at, 'call', i);
    if (!('input' in o)) {
      throw new InvalidHistoryError({
        operation: i,
        field: `${at}.input`,
        message: `${at}.input: is missing`,
      });
    }
    const input = decode(model, at, i, o.input);
    if (o.return === undefined) {
      throw new InvalidHistoryError({
        operation: i,
        field: `${at}.return`,
        message: `${at}.return: is missing (a time, or null for an unknown outcome)`,
      });
    }
    const ret = o.return === null ? null : time(o.return, at, 'return', i);
    if (ret !== null && ret < call) {
      throw new InvalidHistoryError({
        operation: i,
        field: `${at}.return`,
        message: `${at}.return: ${ret} is before its call ${call}`,
      });
    }
    if (ret === null && o.output !== undefined && o.output !== null) {
      throw new InvalidHistoryError({
        operation: i,
        field: `${at}.output`,
        message: `${at}.output: must be null or absent when "return" is null (the outcome is unknown)`,
      });
    }
    const output = ret === null ? undefined : decode(model, at, i, o.output, input);
    this.operations.push({ client, input, call, output, return: ret });
  }

  event(raw: unknown, i: number): void {
    const { model, byId } = this;
    const at = `events[${i}]`;
    const e = entry(raw, 'events', i);
    const id = integer(e.id, at, 'id', i);
    const fail = (field: string, message: string): never => {
      throw new InvalidHistoryError({
        operation: i,
        field: `${at}.${field}`,
        message: `${at}.${field}: ${message}`,
      });
    };
    if (e.kind === 'call') {
      if (byId.has(id)) fail('id', `operation ${id} is called twice`);
      const client = integer(e.client, at, 'client', i);
      if (!('input' in e)) fail('input', 'is missing');
      const op = { client, input: decode(model, at, i, e.input), call: i, return: null };
      byId.set(id, op);
      this.operations.push(op);
    } else if (e.kind === 'return') {
      const op = byId.get(id);
      if (op === undefined) {
        fail('id', `return of operation ${id}, which was never called`);
        return;
      }
      if (op.return !== null) fail('id', `operation ${id} returns twice`);
      op.output = decode(model, at, i, e.output, op.input);
      op.return = i;
    } else {
      fail('kind', `must be "call" or "return", got ${show(e.kind)}`);
    }
  }
}
