import { InvalidHistoryError } from './errors/invalid-history-error.js';

/**
 * A free-form event drawn on the visualisation's time axis, as porcupine's annotations: e.g. a
 * fault the tester injected. `end` absent means a point in time. It is drawn on the row of
 * `client` when given, else on a row named by `tag` (default "annotations").
 */
export interface Annotation {
  /** Start time, on the history's time axis. */
  start: number;
  /** End time (≥ start); absent for a point in time. */
  end?: number;
  client?: number;
  tag?: string;
  /** Short text drawn in the picture. */
  description: string;
  /** Longer text shown when the annotation is clicked. */
  details?: string;
  /** CSS colours. */
  textColor?: string;
  backgroundColor?: string;
}

const text = (v: unknown, field: string, at: string): string | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') {
    throw new InvalidHistoryError({
      field: `${at}.${field}`,
      message: `${at}.${field}: must be a string`,
    });
  }
  return v;
};

/** Validates annotations (from JSON or the API). Throws `InvalidHistoryError` naming the field. */
export function parseAnnotations(raw: unknown): Annotation[] {
  if (!Array.isArray(raw)) {
    throw new InvalidHistoryError({
      field: 'annotations',
      message: 'field "annotations" must be an array of {start, end?, client?, tag?, description}',
    });
  }
  return raw.map((a: unknown, i): Annotation => {
    const at = `annotations[${i}]`;
    if (typeof a !== 'object' || a === null || Array.isArray(a)) {
      throw new InvalidHistoryError({ field: at, message: `${at}: must be an object` });
    }
    const o = a as Record<string, unknown>;
    const time = (v: unknown, field: string): number => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new InvalidHistoryError({
          field: `${at}.${field}`,
          message: `${at}.${field}: must be a non-negative number (a time)`,
        });
      }
      return v;
    };
    const start = time(o.start, 'start');
    const end = o.end === undefined || o.end === null ? undefined : time(o.end, 'end');
    if (end !== undefined && end < start) {
      throw new InvalidHistoryError({
        field: `${at}.end`,
        message: `${at}.end: ${end} is before its start ${start}`,
      });
    }
    if (
      o.client !== undefined &&
      (typeof o.client !== 'number' || !Number.isSafeInteger(o.client))
    ) {
      throw new InvalidHistoryError({
        field: `${at}.client`,
        message: `${at}.client: must be an integer`,
      });
    }
    const description = text(o.description, 'description', at);
    if (description === undefined) {
      throw new InvalidHistoryError({
        field: `${at}.description`,
        message: `${at}.description: is missing (the text to draw)`,
      });
    }
    const out: Annotation = { start, description };
    if (end !== undefined) out.end = end;
    if (o.client !== undefined) out.client = o.client as number;
    const tag = text(o.tag, 'tag', at);
    if (tag !== undefined) out.tag = tag;
    const details = text(o.details, 'details', at);
    if (details !== undefined) out.details = details;
    const textColor = text(o.textColor, 'textColor', at);
    if (textColor !== undefined) out.textColor = textColor;
    const backgroundColor = text(o.backgroundColor, 'backgroundColor', at);
    if (backgroundColor !== undefined) out.backgroundColor = backgroundColor;
    return out;
  });
}
