/**
 * Finds where JSON text first goes wrong, for error messages (V8's `JSON.parse` errors often
 * carry no position). Only called after `JSON.parse` has failed. Returns the 1-based line and
 * column and what was expected there.
 */
export function locateJsonError(text: string): {
  line: number;
  column: number;
  expected: string;
  atEnd: boolean;
} {
  let i = 0;
  let failure: { at: number; expected: string } | undefined;
  const fail = (expected: string): false => {
    failure ??= { at: i, expected };
    return false;
  };
  const ws = () => {
    while (
      i < text.length &&
      (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')
    )
      i++;
  };
  const literal = (word: string): boolean => {
    if (!text.startsWith(word, i)) return fail('a value');
    i += word.length;
    return true;
  };
  const close = (): boolean => {
    i++;
    return true;
  };
  const string = (): boolean => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return close();
      if (c < 0x20) return fail('a closing quote (control characters must be escaped)');
      if (c === 0x5c) {
        const e = text[i + 1];
        const hex = e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6));
        if (hex) i += 6;
        else if (e !== undefined && e !== 'u' && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i += 1;
          return fail(e === 'u' ? '\\u and four hex digits' : 'a valid escape');
        }
      } else i++;
    }
    return fail('a closing quote');
  };
  const number = (): boolean => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null) return fail('a value');
    i += m[0].length;
    return true;
  };
  const value = (depth: number): boolean => {
    ws();
    if (depth > 5000) return fail('less nesting');
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return close();
      for (;;) {
        ws();
        if (text[i] !== '"') return fail('a property name in double quotes');
        if (!string()) return false;
        ws();
        if (text[i] !== ':') return fail('":"');
        i++;
        if (!value(depth + 1)) return false;
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return close();
        else return fail('"," or "}"');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return close();
      for (;;) {
        if (!value(depth + 1)) return false;
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return close();
        else return fail('"," or "]"');
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  if (value(0)) {
    ws();
    if (i < text.length) fail('the end of the text');
  }
  const at = failure?.at ?? text.length;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return { line, column, expected: failure?.expected ?? 'valid JSON', atEnd: at >= text.length };
}
