import type { LogRecord } from '@raftkit/core';
import { TRACE_SCRIPT, TRACE_STYLE } from './page-script.js';
import { type TraceMeta, buildTraceModel } from './trace-model.js';

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
 * Renders the trace of a simulated run as one self-contained HTML page (no network): one lane per
 * server on the virtual time axis with role and term bands, crashes, cut-off periods, commit,
 * apply and snapshot marks; unreliable periods shaded; messages as arrows (filter by method and
 * kind, lost and delayed ones marked); client operations with their linearizability verdict.
 * Wheel zooms, drag pans, click shows the record of an item.
 */
export function renderTraceViewer(records: readonly LogRecord[], meta: TraceMeta): string {
  const model = buildTraceModel(records, meta);
  const title = `Test${meta.test} seed=${meta.seed}`;
  const verdict = model.meta.verdict ? ` · linearizability: ${esc(model.meta.verdict)}` : '';
  const dropped =
    meta.total > records.length
      ? ` (the first ${meta.total - records.length} were dropped from the ring)`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}: ${meta.ok ? 'passed' : 'FAILED'}</title><style>${TRACE_STYLE}</style></head>
<body><header><h1>${esc(title)} <span id="outcome" class="badge ${meta.ok ? 'pass' : 'fail'}">${meta.ok ? 'passed' : 'FAILED'}</span></h1>
<p class="summary">${records.length} trace records${dropped} · ${(model.meta.tEnd / 1000).toFixed(2)} s of virtual time · ${model.lanes.length} lanes · ${model.msgs.from.length} messages${meta.deliveries ? '' : ' (faults only: replay with <code>raftkit replay</code> for every delivery)'}${verdict}</p>
${meta.error ? `<div id="error">${esc(meta.error)}</div>` : ''}</header>
<div id="controls"><button id="fit">fit</button><span>wheel: zoom · drag: pan · click: fields</span>
<span><span class="sw" style="background:#2e7d32"></span>leader <span class="sw" style="background:#ffb74d"></span>candidate <span class="sw" style="background:#ce93d8"></span>precandidate <span class="sw" style="background:#90a4ae"></span>follower <span class="sw" style="background:rgba(33,33,33,.55)"></span>crashed <span class="sw" style="background:rgba(120,120,120,.3)"></span>cut off from a majority <span class="sw" style="background:rgba(255,152,0,.25)"></span>unreliable network <span class="sw" style="background:#c62828"></span>op where the history fails <span class="sw" style="background:#ef9a9a"></span>op in a non-linearizable key</span>
<span id="filters"></span></div>
<div id="wrap"><canvas id="cv"></canvas></div><div id="fields"></div>
<script type="application/json" id="data">${scriptJson(model)}</script>
<script>${TRACE_SCRIPT}</script>
</body></html>
`;
}
