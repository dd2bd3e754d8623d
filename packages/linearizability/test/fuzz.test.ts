import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidHistoryError,
  checkOperations,
  parseHistoryJson,
  parseJepsenLog,
  parseKvLog,
} from '../src/index.js';
import { cli } from './helpers.js';

// Malformed input must never crash: every failure is an InvalidHistoryError with a message, and
// the CLI answers with exit code 3 and a one-line error.

const valid = {
  model: 'kv',
  operations: [
    {
      client: 0,
      input: { op: 'append', key: 'x', value: '1' },
      call: 12,
      output: { value: '' },
      return: 30,
    },
    { client: 1, input: { op: 'get', key: 'x' }, call: 14, output: { value: '1' }, return: 40 },
    { client: 2, input: { op: 'put', key: 'y', value: '2' }, call: 15, return: null },
  ],
};

/** Replaces one node (found by a random path) of a JSON value with another value. */
function mutate(doc: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || typeof doc !== 'object' || doc === null) return replacement;
  const keys = Object.keys(doc);
  if (keys.length === 0) return replacement;
  const key = keys[path[0]! % keys.length]!;
  const copy: Record<string, unknown> = Array.isArray(doc) ? ([...doc] as never) : { ...doc };
  copy[key] = mutate((doc as Record<string, unknown>)[key], path.slice(1), replacement);
  return copy;
}

function acceptsOrExplains(
  parse: () => { operations: unknown[] } & object,
  check: (h: never) => unknown,
) {
  let history: ({ operations: unknown[] } & object) | undefined;
  try {
    history = parse();
  } catch (error) {
    expect(InvalidHistoryError.isInstance(error), String(error)).toBe(true);
    expect((error as Error).message.length).toBeGreaterThan(10);
    return;
  }
  check(history as never);
}

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const mutatedDoc = fc
  .tuple(fc.array(fc.nat(), { maxLength: 5 }), fc.oneof(jsonValue, fc.constant(undefined)))
  .map(([path, replacement]) => JSON.stringify(mutate(valid, path, replacement)) ?? '');
const brokenText = fc
  .tuple(fc.nat(), fc.nat({ max: 20 }), fc.string({ maxLength: 8 }))
  .map(([at, cut, insert]) => {
    const text = JSON.stringify(valid, null, 2);
    const i = at % text.length;
    return text.slice(0, i) + insert + text.slice(i + cut);
  });

describe('fuzz: API', () => {
  it('parseHistoryJson + checkOperations never crash on mutated or broken documents', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedDoc,
          brokenText,
          fc.string(),
          jsonValue.map((v) => JSON.stringify(v)),
        ),
        (text) => {
          acceptsOrExplains(
            () => parseHistoryJson(text),
            (h: ReturnType<typeof parseHistoryJson>) => {
              const result = checkOperations(h.model, h.operations, { timeoutMs: 1000 });
              expect(['ok', 'illegal', 'unknown']).toContain(result.verdict);
            },
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('checkOperations rejects malformed operation arrays with a typed error', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            jsonValue,
            fc.record({ client: jsonValue, call: jsonValue, return: jsonValue, input: jsonValue }),
          ),
        ),
        (ops) => {
          acceptsOrExplains(
            () => {
              const model = { name: 'any', init: () => 0, step: (s: number) => s };
              checkOperations(model, ops as never, { timeoutMs: 500 });
              return { operations: ops };
            },
            () => {},
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('the text log parsers never crash on mutated lines', () => {
    const jepsen =
      'INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2]\nINFO  jepsen.util - 0\t:ok\t:cas\t[1 2]\n';
    const kv =
      '{:process 0, :type :invoke, :f :get, :key "0", :value nil}\n{:process 0, :type :ok, :f :get, :key "0", :value ""}\n';
    const mutateText = (base: string) =>
      fc
        .tuple(fc.nat(), fc.nat({ max: 6 }), fc.string({ maxLength: 6 }))
        .map(([at, cut, insert]) => {
          const i = at % base.length;
          return base.slice(0, i) + insert + base.slice(i + cut);
        });
    fc.assert(
      fc.property(mutateText(jepsen), mutateText(kv), (a, b) => {
        acceptsOrExplains(
          () => parseJepsenLog(a),
          () => {},
        );
        acceptsOrExplains(
          () => parseKvLog(b),
          () => {},
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fuzz: CLI', () => {
  it('answers every malformed file with exit 3 and a one-line message, or a verdict', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mutatedDoc, brokenText, fc.string()),
        fc.constantFrom('h.json', 'h.log', 'h.txt'),
        async (text, name) => {
          const r = await cli([name, '--timeout', '1000'], { [name]: text });
          expect([0, 1, 2, 3]).toContain(r.code);
          if (r.code === 3) {
            expect(r.stderr).toMatch(
              new RegExp(`^raftkit-check: ${name.replace('.', '\\.')}: .{10,}\\n$`),
            );
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
