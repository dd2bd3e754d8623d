import { parseAnnotations } from '../annotations.js';
import { InvalidHistoryError } from '../errors/invalid-history-error.js';
import {
  HistoryDecoder,
  type ParseHistoryOptions,
  type ParsedHistory,
  pickModel,
} from './history-json.js';

enum Mode {
  /** Before the opening brace. */
  Start,
  /** Inside the top-level object, between members. */
  Members,
  /** Reading a member's key string. */
  Key,
  /** After a key, before its colon and value. */
  Colon,
  /** Reading a member's value that is kept whole (raw text). */
  Value,
  /** Inside the operations/events array, between elements. */
  Elements,
  /** Reading one element of that array. */
  Element,
  /** After the closing brace. */
  Done,
}

/**
 * Reads a JSON history (the format of `parseHistoryJson`) in chunks, so that a file of millions
 * of operations is never held as one string: each element of `"operations"` (or `"events"`) is
 * parsed and decoded as soon as it is complete, and only the operations are kept. Other members
 * (`model`, `annotations`) are small and parsed whole. Feed text with `push`, then call `end`.
 * Throws `InvalidHistoryError` naming the line (syntax) or the element and field (content).
 */
export class HistoryJsonStream {
  private mode = Mode.Start;
  private line = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private key = '';
  private buffer = '';
  private elementLine = 1;
  private arrayField: 'operations' | 'events' | undefined;
  private index = 0;
  private decoder: HistoryDecoder | undefined;
  /** Elements seen before the model was known (the `"model"` member came after them). */
  private early: unknown[] = [];
  private readonly members: Record<string, unknown> = {};
  private readonly fields = new Set<string>();

  constructor(private readonly options: ParseHistoryOptions = {}) {}

  private fail(message: string): never {
    throw new InvalidHistoryError({ line: this.line, message: `line ${this.line}: ${message}` });
  }

  push(chunk: string): void {
    let start =
      this.mode === Mode.Element || this.mode === Mode.Value || this.mode === Mode.Key ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) {
          this.inString = false;
          if (this.mode === Mode.Key) {
            this.key = JSON.parse(this.take(chunk, start, i + 1)) as string;
            start = -1;
            this.mode = Mode.Colon;
          }
        }
        continue;
      }
      const ws = c === 32 || c === 10 || c === 13 || c === 9;
      switch (this.mode) {
        case Mode.Start:
          if (ws) break;
          if (c !== 123)
            this.fail('a history must be a JSON object {"model": ..., "operations": [...]}');
          this.mode = Mode.Members;
          this.depth = 1;
          break;
        case Mode.Members:
          if (ws || c === 44) break;
          if (c === 125) {
            this.mode = Mode.Done;
            break;
          }
          if (c !== 34) this.fail(`expected a member name in double quotes, got "${chunk[i]}"`);
          this.mode = Mode.Key;
          this.inString = true;
          start = i;
          break;
        case Mode.Colon:
          if (ws) break;
          if (c === 58) break;
          if ((this.key === 'operations' || this.key === 'events') && c === 91) {
            this.beginArray(this.key);
            break;
          }
          this.mode = Mode.Value;
          start = i;
          i--; // re-read this character as the value's first
          break;
        case Mode.Value:
          if (c === 34) this.inString = true;
          else if (c === 123 || c === 91) this.depth++;
          else if (c === 125 || c === 93) {
            if (this.depth === 1) {
              this.member(this.take(chunk, start, i));
              start = -1;
              this.mode = Mode.Done;
              break;
            }
            this.depth--;
          } else if (c === 44 && this.depth === 1) {
            this.member(this.take(chunk, start, i));
            start = -1;
            this.mode = Mode.Members;
          }
          break;
        case Mode.Elements:
          if (ws || c === 44) break;
          if (c === 93) {
            this.depth = 1;
            this.mode = Mode.Members;
            break;
          }
          this.mode = Mode.Element;
          this.elementLine = this.line;
          start = i;
          if (c === 123 || c === 91) this.depth++;
          else if (c === 34) this.inString = true;
          break;
        case Mode.Element:
          if (c === 34) this.inString = true;
          else if (c === 123 || c === 91) this.depth++;
          else if (c === 125 || c === 93) {
            if (this.depth === 2) {
              // a primitive element ended by the array's close
              this.element(this.take(chunk, start, i));
              start = -1;
              this.depth = 1;
              this.mode = Mode.Members;
              break;
            }
            this.depth--;
            if (this.depth === 2) {
              this.element(this.take(chunk, start, i + 1));
              start = -1;
              this.mode = Mode.Elements;
            }
          } else if (c === 44 && this.depth === 2) {
            this.element(this.take(chunk, start, i));
            start = -1;
            this.mode = Mode.Elements;
          }
          break;
        case Mode.Done:
          if (!ws) this.fail('text after the end of the history object');
          break;
        default:
          break;
      }
    }
    this.buffer = start >= 0 ? this.buffer + chunk.slice(start) : '';
  }

  /** The text from `start` (in this chunk, after what is buffered) to `end`; clears the buffer. */
  private take(chunk: string, start: number, end: number): string {
    const text = this.buffer + chunk.slice(start, end);
    this.buffer = '';
    return text;
  }

  private beginArray(field: 'operations' | 'events'): void {
    if (this.arrayField !== undefined) {
      throw new InvalidHistoryError({
        field,
        message: `field "${field}": a history needs exactly one of the fields "operations" and "events"`,
      });
    }
    this.arrayField = field;
    this.fields.add(field);
    this.mode = Mode.Elements;
    this.depth = 2;
  }

  private parse(text: string, line: number): unknown {
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new InvalidHistoryError({ line, cause, message: `line ${line}: not valid JSON` });
    }
  }

  private member(text: string): void {
    this.fields.add(this.key);
    this.members[this.key] = this.parse(text, this.line);
    if (this.key === 'model') {
      this.decoder = new HistoryDecoder(pickModel(this.members.model, this.options));
      for (const raw of this.early) this.decode(raw);
      this.early = [];
    }
  }

  private element(text: string): void {
    const raw = this.parse(text, this.elementLine);
    if (this.decoder === undefined) this.early.push(raw);
    else this.decode(raw);
  }

  private decode(raw: unknown): void {
    const decoder = this.decoder!;
    if (this.arrayField === 'events') decoder.event(raw, this.index++);
    else decoder.operation(raw, this.index++);
  }

  /** Finishes the document and returns the history. */
  end(): ParsedHistory {
    if (this.mode !== Mode.Done) this.fail('the history ends early (unclosed object or array)');
    if (this.decoder === undefined) pickModel(undefined, this.options);
    if (this.arrayField === undefined) {
      throw new InvalidHistoryError({
        field: 'operations',
        message:
          'field "operations": a history needs exactly one of the fields "operations" and "events"',
      });
    }
    const annotations =
      this.members.annotations === undefined
        ? undefined
        : parseAnnotations(this.members.annotations);
    return {
      model: this.decoder!.model,
      operations: this.decoder!.operations,
      ...(annotations ? { annotations } : {}),
    };
  }
}
