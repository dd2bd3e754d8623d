import type { Model, Operation } from '../model.js';
import type { CheckResult } from '../result.js';
import { SCRIPT, STYLE } from './assets.js';
import { type PartitionView, layoutPartitions } from './layout.js';

export interface RenderOptions {
  /** Page title; default "Linearizability check". */
  title?: string;
}

const LABEL = 90;
const ROW = 30;

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

function legend(view: PartitionView): string {
  const item = (color: string, text: string, extra = '') =>
    `<span><span class="swatch" style="background:${color};${extra}"></span>${text}</span>`;
  const items = [
    item(
      'var(--bar)',
      view.verdict === 'ok' ? 'linearized (number = order)' : 'in the longest linearizable prefix',
    ),
  ];
  if (view.verdict === 'illegal') {
    items.push(
      item('var(--bad)', 'must return here but cannot be placed'),
      item('#ef9a9a', 'could not be placed next'),
    );
  }
  items.push(
    item('#bdbdbd', 'not placed'),
    item('#ccc', 'unknown outcome (no return)', 'border-right:3px dashed #555'),
  );
  return `<div class="legend">${items.join('')}</div>`;
}

function timeline(view: PartitionView): string {
  const col = Math.max(14, Math.min(110, Math.floor(1100 / Math.max(1, view.ranks))));
  const width = LABEL + view.ranks * col + 24;
  const height = view.clients.length * ROW + 8;
  const rows = view.clients
    .map(
      (c, k) =>
        `<div class="row" data-client="${c}" style="top:${k * ROW}px"><span class="row-label">client ${c}</span></div>`,
    )
    .join('');
  const bars = view.bars
    .map((b) => {
      const left = LABEL + b.start * col + 2;
      const w = Math.max(8, (b.end - b.start) * col - 4);
      const cls = `op op-${b.kind}${b.open ? ' op-open' : ''}`;
      const label = b.order > 0 ? `${b.order}. ${b.text}` : b.text;
      return `<div class="${cls}" data-op="${b.op}" data-order="${b.order}" style="left:${left}px;width:${w}px;top:${b.row * ROW + 5}px">${esc(label)}</div>`;
    })
    .join('');
  const marker =
    view.failRank >= 0
      ? `<div class="fail-marker" style="left:${LABEL + view.failRank * col}px"><span class="fail-label">fails here</span></div>`
      : '';
  return `<div class="scroll"><div class="timeline" style="width:${width}px;height:${height}px">${rows}${bars}${marker}</div></div>`;
}

function explanation(view: PartitionView): string {
  if (view.verdict === 'ok') return '';
  if (view.verdict === 'unknown') {
    const why =
      view.reason === 'skipped'
        ? 'not checked: another partition was already illegal (check with explain / --explain to see every partition)'
        : view.reason === 'cache-limit'
          ? 'undecided: the search cache reached its bound (maxCacheEntries)'
          : view.reason === 'aborted'
            ? 'undecided: the check was cancelled'
            : 'undecided: the time limit was reached';
    return `<p class="note">${esc(why)}. Longest linearizable prefix found: ${view.placed} of ${view.total} operations.</p>`;
  }
  const states = view.states.map((s) => `<li><code>${esc(s)}</code></li>`).join('');
  return `<div class="failure"><strong>Not linearizable.</strong> The longest linearizable prefix has ${view.placed} of ${view.total} operations.
 It fails at <code>${esc(view.failText)}</code>: it returned, so it must have taken effect, but no remaining order allows it.
 <div>States reachable at that point:</div><ul class="states">${states}</ul></div>`;
}

/**
 * Renders a self-contained HTML page (no network resources) showing a checked history: per
 * partition a timeline with one row per client, each operation a bar from call to return
 * labelled with its place in the linearization; for an illegal partition, where it fails and
 * the states reachable there. Hovering an operation shows its input, output and the state.
 */
export function renderVisualization<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  result: CheckResult<S>,
  options: RenderOptions = {},
): string {
  const views = layoutPartitions(model, operations, result);
  const data: Record<number, unknown> = {};
  for (const view of views) {
    for (const b of view.bars) {
      const op = operations[b.op]!;
      data[b.op] = {
        text: b.text,
        client: b.client,
        call: op.call,
        ret: op.return === null ? 'none (unknown outcome)' : op.return,
        input: b.input,
        output: b.output,
        state: b.state,
        order: b.order,
        total: view.total,
      };
    }
  }
  const title = options.title ?? 'Linearizability check';
  const rank = { illegal: 0, unknown: 1, ok: 2 } as const;
  const ordered = [...views].sort((a, b) => rank[a.verdict] - rank[b.verdict] || a.index - b.index);
  const partitioned =
    views.length > 1 || model.partitionKey !== undefined || model.partition !== undefined;
  const sections = ordered
    .map(
      (
        v,
      ) => `<section class="partition partition-${v.verdict}" data-partition="${v.index}" data-verdict="${v.verdict}">
<h2>${partitioned ? `Partition ${v.index + 1} (key ${esc(JSON.stringify(v.key))})` : 'History'} — <span class="verdict verdict-${v.verdict}">${v.verdict}</span> <span class="summary">${v.total} operations, ${v.clients.length} clients</span></h2>
${legend(v)}${timeline(v)}${explanation(v)}</section>`,
    )
    .join('\n');
  const illegal = result.partitions.filter((p) => p.verdict === 'illegal').length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}: ${result.verdict}</title><style>${STYLE}</style></head>
<body><header><h1>${esc(title)}: <span class="verdict verdict-${result.verdict}" id="verdict">${result.verdict}</span></h1>
<p class="summary">model <code>${esc(model.name)}</code> · ${result.operations} operations · ${result.partitions.length} partition(s)${illegal ? ` · ${illegal} illegal` : ''} · checked in ${result.elapsedMs.toFixed(1)} ms</p></header>
<main>${sections || '<p class="note" style="margin:16px 24px">The history is empty.</p>'}</main>
<div id="tooltip" hidden></div>
<script>var OPS = ${scriptJson(data)};</script><script>${SCRIPT}</script>
</body></html>
`;
}
