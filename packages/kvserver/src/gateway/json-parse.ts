/**
 * A JSON reader with Go's behaviour where etcd's gateway shows it: it reads
 * only the first value of the body (trailing data is ignored, as
 * json.Decoder does), keeps the source text of numbers and strings (int64
 * fields accept "17" and 17 but not 1e1), and reports errors with Go's
 * texts ("invalid character 'b' looking for beginning of object key string",
 * "unexpected EOF").
 */

export class JsonNumber {
  constructor(readonly raw: string) {}
}

export class JsonString {
  /** `value` is the decoded text; `raw` the source between the quotes. */
  constructor(
    readonly value: string,
    readonly raw: string,
  ) {}
}

export type JsonValue =
  | null
  | boolean
  | JsonNumber
  | JsonString
  | JsonValue[]
  | Map<string, JsonValue>;

export class JsonSyntaxError extends Error {}

/** Go's quoteChar: 'b', '\'', '"', '\n', '\x00'. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

const WS = new Set([' ', '\t', '\n', '\r']);
/** Nesting limit (Go's decoder allows 10000; this keeps the recursion shallow). */
const MAX_DEPTH = 1000;

/** Parses the first JSON value of `text`; undefined for an empty (whitespace-only) body. */
export function parseFirstJsonValue(text: string): JsonValue | undefined {
  const p = new Parser(text);
  p.skipWs();
  if (p.pos >= text.length) return undefined;
  return p.value('looking for beginning of value', 0);
}

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  skipWs(): void {
    while (this.pos < this.s.length && WS.has(this.s[this.pos]!)) this.pos++;
  }

  private fail(context: string): never {
    if (this.pos >= this.s.length) throw new JsonSyntaxError('unexpected EOF');
    throw new JsonSyntaxError(`invalid character ${quoteChar(this.s[this.pos]!)} ${context}`);
  }

  value(context: string, depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError('exceeded max depth');
    const c = this.s[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    return this.fail(context);
  }

  private literal<T>(word: string, v: T): T {
    for (let i = 0; i < word.length; i++) {
      if (this.s[this.pos] !== word[i]) {
        if (i === 0) this.fail('looking for beginning of value');
        this.fail(`in literal ${word} (expecting ${quoteChar(word[i]!)})`);
      }
      this.pos++;
    }
    return v;
  }

  private number(): JsonNumber {
    const start = this.pos;
    const s = this.s;
    const digit = () => this.pos < s.length && s[this.pos]! >= '0' && s[this.pos]! <= '9';
    if (s[this.pos] === '-') {
      this.pos++;
      if (!digit()) this.fail('in numeric literal');
    }
    if (s[this.pos] === '0') this.pos++;
    else while (digit()) this.pos++;
    if (s[this.pos] === '.') {
      this.pos++;
      if (!digit()) this.fail('after decimal point in numeric literal');
      while (digit()) this.pos++;
    }
    if (s[this.pos] === 'e' || s[this.pos] === 'E') {
      this.pos++;
      if (s[this.pos] === '+' || s[this.pos] === '-') this.pos++;
      if (!digit()) this.fail('in exponent of numeric literal');
      while (digit()) this.pos++;
    }
    return new JsonNumber(s.slice(start, this.pos));
  }

  private string(): JsonString {
    const s = this.s;
    this.pos++; // opening quote
    const start = this.pos;
    let out = '';
    let chunk = this.pos;
    for (;;) {
      if (this.pos >= s.length) throw new JsonSyntaxError('unexpected EOF');
      const c = s.charCodeAt(this.pos);
      if (c === 0x22) {
        out += s.slice(chunk, this.pos);
        const raw = s.slice(start, this.pos);
        this.pos++;
        return new JsonString(out, raw);
      }
      if (c < 0x20) this.fail('in string literal');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += s.slice(chunk, this.pos);
      this.pos++;
      const e = s[this.pos];
      const simple: Record<string, string> = {
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
      };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        this.pos++;
      } else if (e === 'u') {
        this.pos++;
        for (let i = 0; i < 4; i++) {
          if (!/[0-9a-fA-F]/.test(s[this.pos + i] ?? '')) {
            this.pos += i;
            this.fail('in \\u hexadecimal character escape');
          }
        }
        let code = Number.parseInt(s.slice(this.pos, this.pos + 4), 16);
        this.pos += 4;
        // Go replaces an unpaired surrogate with U+FFFD.
        if (code >= 0xd800 && code < 0xdc00 && s.slice(this.pos, this.pos + 2) === '\\u') {
          const low = Number.parseInt(s.slice(this.pos + 2, this.pos + 6), 16);
          if (low >= 0xdc00 && low < 0xe000) {
            out += String.fromCharCode(code, low);
            this.pos += 6;
            chunk = this.pos;
            continue;
          }
        }
        if (code >= 0xd800 && code < 0xe000) code = 0xfffd;
        out += String.fromCharCode(code);
      } else {
        this.fail('in string escape code');
      }
      chunk = this.pos;
    }
  }

  private array(depth: number): JsonValue[] {
    this.pos++;
    const out: JsonValue[] = [];
    this.skipWs();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      out.push(this.value('looking for beginning of value', depth + 1));
      this.skipWs();
      const c = this.s[this.pos];
      if (c === ',') this.pos++;
      else if (c === ']') {
        this.pos++;
        return out;
      } else this.fail('after array element');
    }
  }

  private object(depth: number): Map<string, JsonValue> {
    this.pos++;
    const out = new Map<string, JsonValue>();
    this.skipWs();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      if (this.s[this.pos] !== '"') this.fail('looking for beginning of object key string');
      const key = this.string().value;
      this.skipWs();
      if (this.s[this.pos] !== ':') this.fail('after object key');
      this.pos++;
      this.skipWs();
      // The last occurrence of a key wins, as in Go.
      out.delete(key);
      out.set(key, this.value('looking for beginning of value', depth + 1));
      this.skipWs();
      const c = this.s[this.pos];
      if (c === ',') this.pos++;
      else if (c === '}') {
        this.pos++;
        return out;
      } else this.fail('after object key:value pair');
    }
  }
}
