import { InvalidHistoryError } from '../errors/invalid-history-error.js';
import type { AnyModel, Operation } from '../model.js';
import { etcdModel } from '../models/etcd.js';
import { kvModel } from '../models/kv.js';
import { parseHistoryJson } from '../parse/history-json.js';
import { parseJepsenLog } from '../parse/jepsen-log.js';
import { parseKvLog } from '../parse/kv-log.js';

export type HistoryFormat = 'json' | 'jepsen' | 'kv';
export const FORMATS = ['auto', 'json', 'jepsen', 'kv'] as const;

export interface LoadedHistory {
  format: HistoryFormat;
  model: AnyModel;
  operations: Operation<unknown, unknown>[];
}

/** Picks the format from the file name, then from the first non-blank line. */
export function detectFormat(name: string, text: string): HistoryFormat {
  const first =
    text
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
      return { format: 'json', model: parsed.model, operations: parsed.operations };
    }
  }
}
