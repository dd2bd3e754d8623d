import { createReadStream, readFileSync, statSync } from 'node:fs';
import type { Annotation } from '../annotations.js';
import { InvalidHistoryError } from '../errors/invalid-history-error.js';
import type { AnyModel, Operation } from '../model.js';
import { etcdModel } from '../models/etcd.js';
import { kvModel } from '../models/kv.js';
import { parseHistoryJson } from '../parse/history-json.js';
import { parseJepsenLog } from '../parse/jepsen-log.js';
import { HistoryJsonStream } from '../parse/history-stream.js';
import { KvLogReader, parseKvLog } from '../parse/kv-log.js';

export type HistoryFormat = 'json' | 'jepsen' | 'kv';
export const FORMATS = ['auto', 'json', 'jepsen', 'kv'] as const;

export interface LoadedHistory {
  format: HistoryFormat;
  model: AnyModel;
  operations: Operation<unknown, unknown>[];
  annotations?: Annotation[];
}

/** Files larger than this are read as a stream (never held as one string). */
export const STREAM_ABOVE_BYTES = 8 * 1024 * 1024;

/**
 * Reads and parses a history file: whole when small (exact error positions), as a stream when
 * larger than `STREAM_ABOVE_BYTES`. `readFile` replaces the file system (tests). Throws
 * `InvalidHistoryError`, or a Node error for an unreadable file.
 */
export async function loadHistory(
  path: string,
  format: HistoryFormat | 'auto',
  readFile?: (path: string) => string,
): Promise<LoadedHistory> {
  if (readFile !== undefined) return readHistory(path, readFile(path), format);
  if (path === '-') return readHistory(path, readFileSync(0, 'utf8'), format);
  const size = statSync(path).size;
  if (size <= STREAM_ABOVE_BYTES) return readHistory(path, readFileSync(path, 'utf8'), format);
  return streamHistory(path, format);
}

async function streamHistory(path: string, format: HistoryFormat | 'auto'): Promise<LoadedHistory> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let chosen: HistoryFormat | undefined = format === 'auto' ? undefined : format;
  let json: HistoryJsonStream | undefined;
  let kv: KvLogReader | undefined;
  const whole: string[] = [];
  let partial = '';
  let line = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    if (chosen === undefined) chosen = detectFormat(path, chunk);
    if (chosen === 'json') {
      json ??= new HistoryJsonStream();
      json.push(chunk);
    } else if (chosen === 'kv') {
      kv ??= new KvLogReader();
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const text of lines) kv.line(text, ++line);
    } else {
      whole.push(chunk);
    }
  }
  if (chosen === 'kv' || (chosen === undefined && format === 'kv')) {
    kv ??= new KvLogReader();
    kv.line(partial, ++line);
    return {
      format: 'kv',
      model: kvModel,
      operations: kv.end().operations as Operation<unknown, unknown>[],
    };
  }
  if (chosen === 'json') {
    const parsed = json!.end();
    return {
      format: 'json',
      model: parsed.model,
      operations: parsed.operations,
      ...(parsed.annotations ? { annotations: parsed.annotations } : {}),
    };
  }
  return readHistory(path, whole.join(''), chosen ?? 'jepsen');
}

/** Picks the format from the file name, then from the first non-blank line. */
export function detectFormat(name: string, text: string): HistoryFormat {
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  const first =
    head
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? '';
  if (first.includes('jepsen.util')) return 'jepsen';
  if (first.startsWith('{:')) return 'kv';
  if (first === '') {
    if (name.endsWith('.log')) return 'jepsen';
    if (name.endsWith('.txt')) return 'kv';
  }
  return 'json';
}

/** Parses `text` in `format` (or the detected one). Throws `InvalidHistoryError`. */
export function readHistory(
  name: string,
  text: string,
  format: HistoryFormat | 'auto',
): LoadedHistory {
  const chosen = format === 'auto' ? detectFormat(name, text) : format;
  switch (chosen) {
    case 'jepsen':
      return {
        format: chosen,
        model: etcdModel,
        operations: parseJepsenLog(text).operations as Operation<unknown, unknown>[],
      };
    case 'kv':
      return {
        format: chosen,
        model: kvModel,
        operations: parseKvLog(text).operations as Operation<unknown, unknown>[],
      };
    default: {
      if (text.trim() === '') {
        throw new InvalidHistoryError({
          line: 1,
          message: 'line 1: the file is empty (expected a JSON history)',
        });
      }
      const parsed = parseHistoryJson(text);
      return {
        format: 'json',
        model: parsed.model,
        operations: parsed.operations,
        ...(parsed.annotations ? { annotations: parsed.annotations } : {}),
      };
    }
  }
}
