import type { Annotation } from '../annotations.js';
import type { Model, Operation } from '../model.js';
import type { CheckResult } from '../result.js';
import { SCRIPT, STYLE } from './assets.js';
import { pageData } from './page-data.js';

export interface RenderOptions {
  /** Page title; default "Linearizability check". */
  title?: string;
  /** Free-form events drawn on the same time axis (e.g. the faults a tester injected). */
  annotations?: readonly Annotation[];
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Renders one self-contained HTML page (no network resources) for a checked history. The page
 * embeds each operation's client, times, input and output once (about 60–100 bytes an
 * operation) and computes descriptions and states on demand with the model's page
 * implementation, so a 17,500-operation history gives a page of a few MB. It draws one partition
 * at a time on a canvas: a row per client, a bar per operation from call to return labelled with
 * its number (`#i`, the history index, as in every text the checker prints), a time axis, the
 * annotations, and for an illegal partition the point where it fails. Wheel zooms, drag pans;
 * clicking an operation shows its input, output, place in the linearization (or its longest
 * partial linearization) and the states before and after it.
 */
export function renderVisualization<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  result: CheckResult<S>,
  options: RenderOptions = {},
): string {
  const title = options.title ?? 'Linearizability check';
  const data = pageData(model, operations, result, title, options.annotations ?? []);
  const counts = { ok: 0, illegal: 0, unknown: 0 };
  for (const p of result.partitions) counts[p.verdict]++;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}: ${result.verdict}</title><style>${STYLE}</style></head>
<body><header><h1>${esc(title)}: <span class="verdict verdict-${result.verdict}" id="verdict">${result.verdict}</span></h1>
<p class="summary">model <code>${esc(model.name)}</code> · ${result.operations} operations · ${result.partitions.length} partition(s): ${counts.illegal} illegal, ${counts.unknown} unknown, ${counts.ok} ok · checked in ${result.elapsedMs.toFixed(1)} ms · operations are numbered #0…#${Math.max(0, result.operations - 1)} in history order</p></header>
<div id="main"><aside id="parts" hidden><input id="filter" placeholder="filter keys"><ul id="partlist"></ul></aside>
<section id="view"><div id="ptitle"></div><div id="explain"></div>
<div id="toolbar"><button id="fit">fit</button><button id="zin">zoom in</button><button id="zout">zoom out</button>
<span>wheel: zoom · drag: pan · click: details</span>
<span><span class="swatch" style="background:#4f7fbf"></span>linearized<span class="swatch" style="background:#ef9a9a"></span>could not come next<span class="swatch" style="background:#c62828"></span>fails here<span class="swatch" style="background:#bdbdbd"></span>not placed<span class="swatch" style="background:#ffe082"></span>annotation</span></div>
<div id="wrap"><canvas id="cv"></canvas></div><div id="details"></div></section></div>
<script type="application/json" id="data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
