import { describe, expect, it } from 'vitest';
import {
  HistoryJsonStream,
  InvalidHistoryError,
  checkOperations,
  parseAnnotations,
  parseHistoryJson,
  parseJepsenLog,
  parseKvLog,
} from '../src/index.js';

function error(fn: () => unknown): InvalidHistoryError {
  try {
    fn();
  } catch (e) {
    expect(InvalidHistoryError.isInstance(e)).toBe(true);
    return e as InvalidHistoryError;
  }
  throw new Error('expected an InvalidHistoryError');
}

const doc = (operations: unknown[], model = 'kv') => JSON.stringify({ model, operations });
const kvOp = {
  client: 0,
  input: { op: 'append', key: 'x', value: '1' },
  call: 12,
  output: { value: '' },
  return: 30,
};

describe('parseHistoryJson', () => {
  it('parses the documented example and checks it', () => {
    const text = doc([
      kvOp,
      { client: 1, input: { op: 'get', key: 'x' }, call: 31, output: { value: '1' }, return: 40 },
    ]);
    const history = parseHistoryJson(text);
    expect(history.model.name).toBe('kv');
    expect(history.operations[0]).toEqual({
      client: 0,
      input: { op: 'append', key: 'x', value: '1' },
      call: 12,
      output: {},
      return: 30,
    });
    expect(checkOperations(history.model, history.operations).verdict).toBe('ok');
  });

  it('reads "return": null as an unknown outcome and "output": null as an unknown output', () => {
    const text = JSON.stringify({
      model: 'etcd',
      operations: [
        { client: 0, input: { op: 'write', value: 1 }, call: 0, return: null },
        { client: 1, input: { op: 'read' }, call: 5, output: null, return: 6 },
        { client: 1, input: { op: 'read' }, call: 7, output: { value: 1 }, return: 8 },
        {
          client: 2,
          input: { op: 'cas', from: 1, to: 2 },
          call: 9,
          output: { ok: true },
          return: 10,
        },
      ],
    });
    const history = parseHistoryJson(text);
    expect(history.operations[0]!.return).toBeNull();
    expect(history.operations[1]!.output).toBeUndefined();
    expect(checkOperations(history.model, history.operations).verdict).toBe('ok');
  });

  it('parses the events variant', () => {
    const text = JSON.stringify({
      model: 'register',
      events: [
        { kind: 'call', id: 0, client: 0, input: { op: 'write', value: 'a' } },
        { kind: 'call', id: 1, client: 1, input: { op: 'read' } },
        { kind: 'return', id: 0 },
        { kind: 'return', id: 1, output: { value: 'a' } },
      ],
    });
    const history = parseHistoryJson(text);
    expect(history.operations.map((o) => [o.call, o.return])).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(checkOperations(history.model, history.operations).verdict).toBe('ok');
  });

  it.each([
    [
      'return before call',
      doc([{ ...kvOp, call: 40 }]),
      0,
      'operations[0].return',
      'operations[0].return: 30 is before its call 40',
    ],
    [
      'unknown op',
      doc([kvOp, { ...kvOp, input: { op: 'delete', key: 'x' } }]),
      1,
      'operations[1].input.op',
      'operations[1].input.op: unknown op "delete"; expected one of "get", "put", "append"',
    ],
    [
      'missing key',
      doc([{ ...kvOp, input: { op: 'get' } }]),
      0,
      'operations[0].input.key',
      'operations[0].input.key: is missing (a string is required)',
    ],
    [
      'negative time',
      doc([{ ...kvOp, call: -1 }]),
      0,
      'operations[0].call',
      'operations[0].call: must be a non-negative number (a time; fractions allowed), got -1',
    ],
    [
      'missing return',
      doc([{ ...kvOp, return: undefined }]),
      0,
      'operations[0].return',
      'operations[0].return: is missing (a time, or null for an unknown outcome)',
    ],
    [
      'get without output',
      doc([{ ...kvOp, input: { op: 'get', key: 'x' }, output: undefined }]),
      0,
      'operations[0].output',
      'operations[0].output: is missing: a get needs {"value": "..."} (use null for an unknown outcome)',
    ],
    [
      'cas output not boolean',
      doc(
        [
          {
            client: 0,
            input: { op: 'cas', from: 1, to: 2 },
            call: 0,
            output: { ok: 'yes' },
            return: 1,
          },
        ],
        'etcd',
      ),
      0,
      'operations[0].output.ok',
      'operations[0].output.ok: must be true or false, got "yes"',
    ],
    [
      'output with unknown return',
      doc([{ ...kvOp, return: null }]),
      0,
      'operations[0].output',
      'operations[0].output: must be null or absent when "return" is null (the outcome is unknown)',
    ],
  ])('rejects %s, naming the operation and field', (_name, text, operation, field, message) => {
    const e = error(() => parseHistoryJson(text));
    expect(e.operation).toBe(operation);
    expect(e.field).toBe(field);
    expect(e.message).toBe(message);
  });

  it('rejects a bad model name, non-JSON (with its line) and a history with both shapes', () => {
    expect(error(() => parseHistoryJson('{"model": "queue", "operations": []}')).message).toBe(
      'field "model" must be one of "kv", "register", "etcd", got "queue"',
    );
    const syntax = error(() => parseHistoryJson('{\n"model": "kv",\n"operations": [,]\n}'));
    expect(syntax.line).toBe(3);
    expect(syntax.message).toBe('line 3, column 16: not valid JSON: expected a value');
    expect(
      error(() => parseHistoryJson('{"model": "kv", "operations": [], "events": []}')).message,
    ).toMatch(/exactly one/);
    expect(error(() => parseHistoryJson('[1]')).message).toMatch(/must be a JSON object/);
  });
});

describe('parseJepsenLog', () => {
  const log = [
    'INFO  jepsen.util - 0\t:invoke\t:write\t1',
    'INFO  jepsen.util - 1\t:invoke\t:cas\t[1 2]',
    'INFO  jepsen.util - 0\t:ok\t:write\t1',
    'INFO  jepsen.util - 1\t:info\t:cas\t:timed-out',
    'INFO  jepsen.util - 2\t:invoke\t:read\tnil',
    'INFO  jepsen.util - 2\t:fail\t:read\t:timed-out',
    'INFO  jepsen.util - 6\t:invoke\t:read\tnil',
    'INFO  jepsen.util - 6   :ok     :read   2',
    'some other log line',
    '',
  ].join('\n');

  it('follows porcupine: :info leaves the operation open, :fail :read :timed-out has no output', () => {
    const { model, operations } = parseJepsenLog(log);
    expect(model).toBe('etcd');
    expect(operations).toEqual([
      { client: 0, input: { op: 'write', value: 1 }, call: 0, output: {}, return: 2 },
      { client: 1, input: { op: 'cas', from: 1, to: 2 }, call: 1, return: null },
      { client: 2, input: { op: 'read' }, call: 3, return: 4 },
      { client: 6, input: { op: 'read' }, call: 5, output: { value: 2 }, return: 6 },
    ]);
  });

  it('names the line of a malformed event', () => {
    expect(error(() => parseJepsenLog('INFO  jepsen.util - 0\t:invoke\t:cas\t[1]')).message).toBe(
      'line 1: cas value must look like [A B], got "[1]"',
    );
    expect(error(() => parseJepsenLog('\nINFO  jepsen.util - 3\t:ok\t:read\t1')).message).toBe(
      'line 2: process 3 completes an operation it never invoked',
    );
    expect(error(() => parseJepsenLog('hello\nworld')).line).toBe(1);
    expect(parseJepsenLog('').operations).toEqual([]);
  });
});

describe('parseKvLog', () => {
  it('parses the lab format and applies the open-at-end quirk', () => {
    const text = [
      '{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}',
      '{:process 1, :type :invoke, :f :get, :key "0", :value nil}',
      '{:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}',
      '',
    ].join('\n');
    expect(parseKvLog(text).operations).toEqual([
      {
        client: 0,
        input: { op: 'append', key: '0', value: 'x 0 0 y' },
        call: 0,
        output: {},
        return: 2,
      },
      { client: 1, input: { op: 'get', key: '0' }, call: 1, output: { value: '' }, return: 3 },
    ]);
  });

  it('names the line of a malformed event', () => {
    const e = error(() =>
      parseKvLog(
        '{:process 0, :type :invoke, :f :get, :key "0", :value nil}\n{:process 0, :type :ok}',
      ),
    );
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/^line 2: not a kv event/);
    expect(
      error(() => parseKvLog('{:process 0, :type :invoke, :f :delete, :key "0", :value nil}'))
        .message,
    ).toBe('line 1: unknown function :delete');
  });
});

describe('HistoryJsonStream', () => {
  it('parses a document fed in tiny chunks exactly as parseHistoryJson does', () => {
    const text = JSON.stringify(
      {
        annotations: [{ start: 1.5, end: 2, tag: 'faults', description: 'partition' }],
        operations: [
          {
            client: 0,
            input: { op: 'put', key: 'a{"]', value: 'x,}' },
            call: 0.5,
            output: {},
            return: 3,
          },
          {
            client: 1,
            input: { op: 'get', key: 'a{"]' },
            call: 1,
            output: { value: 'x,}' },
            return: 4.25,
          },
          { client: 2, input: { op: 'append', key: 'b', value: '\\"' }, call: 2, return: null },
        ],
        model: 'kv',
      },
      null,
      1,
    );
    const whole = parseHistoryJson(text);
    for (const size of [1, 2, 3, 7, 64]) {
      const stream = new HistoryJsonStream();
      for (let i = 0; i < text.length; i += size) stream.push(text.slice(i, i + size));
      const parsed = stream.end();
      expect(parsed.model).toBe(whole.model);
      expect(parsed.operations).toEqual(whole.operations);
      expect(parsed.annotations).toEqual(whole.annotations);
    }
  });

  it('names the line of a broken element and the field of a bad one', () => {
    const broken = new HistoryJsonStream();
    expect(() => {
      broken.push('{"model": "kv", "operations": [\n{"client": 0,\n "input": nope}\n]}');
      broken.end();
    }).toThrow(/line 2: not valid JSON/);
    const bad = new HistoryJsonStream();
    expect(() =>
      bad.push(
        '{"model": "kv", "operations": [{"client": 0, "input": {"op": "get"}, "call": 0, "return": 1}]}',
      ),
    ).toThrow(/operations\[0\]\.input\.key/);
    const cut = new HistoryJsonStream();
    cut.push('{"model": "kv", "operations": [');
    expect(() => cut.end()).toThrow(/ends early/);
  });

  it('rejects bad annotations naming the field', () => {
    expect(() => parseAnnotations([{ start: 5, end: 1, description: 'x' }])).toThrow(
      'annotations[0].end: 1 is before its start 5',
    );
    expect(() => parseAnnotations([{ start: 5 }])).toThrow(/annotations\[0\]\.description/);
  });
});
