/**
 * The built-in models as JavaScript source for the visualisation page, which computes states on
 * demand (the page embeds inputs and outputs, never a state per operation). Each source is an
 * object expression with `init()`, `step(state, input, output)` (returns `undefined` when the
 * step is illegal; `output` is `undefined` for an unknown outcome), `describeState(state)` and
 * `describeOperation(input, output)`; inputs and outputs are the operations' JSON. They must
 * agree with the models in src/models (test/visualization.test.ts compares them).
 */
export const builtinPageModels: Readonly<Record<string, string>> = {
  kv: `{
  init: function () { return ''; },
  step: function (s, i, o) {
    if (i.op === 'get') return o === undefined || o.value === s ? s : undefined;
    if (i.op === 'put') return i.value;
    if (i.op === 'append') return s + i.value;
    return undefined;
  },
  describeState: function (s) { return JSON.stringify(s); },
  describeOperation: function (i, o) {
    var k = JSON.stringify(i.key);
    if (i.op === 'get') return 'get(' + k + ') \\u2192 ' + (o === undefined || o.value === undefined ? '?' : JSON.stringify(o.value));
    return i.op + '(' + k + ', ' + JSON.stringify(i.value) + ')';
  }
}`,
  register: `{
  init: function () { return 0; },
  step: function (s, i, o) {
    if (i.op === 'write') return i.value;
    if (i.op !== 'read') return undefined;
    return o === undefined || o.value === s ? s : undefined;
  },
  describeState: function (s) { return JSON.stringify(s); },
  describeOperation: function (i, o) {
    if (i.op === 'write') return 'write(' + JSON.stringify(i.value) + ')';
    return 'read() \\u2192 ' + (o === undefined ? '?' : JSON.stringify(o.value));
  }
}`,
  etcd: `{
  init: function () { return null; },
  step: function (s, i, o) {
    if (i.op === 'read') return o === undefined || o.value === s ? s : undefined;
    if (i.op === 'write') return i.value;
    if (i.op === 'cas') {
      if (o === undefined) return s === i.from ? i.to : s;
      if (o.ok) return s === i.from ? i.to : undefined;
      return s !== i.from ? s : undefined;
    }
    return undefined;
  },
  describeState: function (s) { return s === null ? 'absent' : String(s); },
  describeOperation: function (i, o) {
    if (i.op === 'read') return 'read() \\u2192 ' + (o === undefined ? '?' : o.value === null ? 'absent' : String(o.value));
    if (i.op === 'write') return 'write(' + i.value + ')' + (o === undefined ? ' \\u2192 ?' : '');
    return 'cas(' + i.from + ', ' + i.to + ') \\u2192 ' + (o === undefined ? '?' : o.ok ? 'ok' : 'fail');
  }
}`,
};
