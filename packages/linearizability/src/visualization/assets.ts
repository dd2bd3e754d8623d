/** Inline CSS and script of the visualisation page. No network resources. */

export const STYLE = `
:root { color-scheme: light; --ok: #2e7d32; --bad: #c62828; --unk: #8d6e00; --bar: #4f7fbf; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; background: #fafafa; }
header { padding: 16px 24px; background: #fff; border-bottom: 1px solid #ddd; }
h1 { margin: 0 0 4px; font-size: 20px; }
h2 { margin: 0 0 8px; font-size: 16px; }
.summary { color: #555; margin: 0; }
.verdict { display: inline-block; padding: 1px 10px; border-radius: 10px; color: #fff; font-weight: 600; }
.verdict-ok { background: var(--ok); } .verdict-illegal { background: var(--bad); } .verdict-unknown { background: var(--unk); }
.partition { margin: 16px 24px; padding: 12px 16px; background: #fff; border: 1px solid #ddd; border-radius: 6px; }
.partition-illegal { border-color: var(--bad); }
.legend { display: flex; gap: 16px; flex-wrap: wrap; color: #555; font-size: 12px; margin-bottom: 8px; }
.swatch { display: inline-block; width: 14px; height: 10px; border-radius: 2px; vertical-align: middle; margin-right: 4px; }
.scroll { overflow-x: auto; padding-bottom: 4px; }
.timeline { position: relative; }
.row { position: absolute; left: 0; right: 0; height: 30px; border-top: 1px solid #eee; }
.row-label { position: sticky; left: 0; z-index: 4; display: inline-block; width: 84px; margin-top: 6px; font-size: 12px;
  color: #444; white-space: nowrap; background: rgba(255,255,255,0.92); }
.op { position: absolute; height: 20px; border-radius: 3px; background: var(--bar); color: #fff; font-size: 11px;
  line-height: 20px; padding: 0 3px; overflow: hidden; white-space: nowrap; cursor: default; }
.op:hover { outline: 2px solid #111; z-index: 2; }
.op-linearized { background: var(--bar); }
.op-candidate { background: #ef9a9a; color: #5d0000; }
.op-blocker { background: var(--bad); }
.op-other { background: #bdbdbd; color: #333; }
.op-open { border-right: 3px dashed rgba(0,0,0,0.45); opacity: 0.75; }
.fail-marker { position: absolute; top: 0; bottom: 0; width: 0; border-left: 2px solid var(--bad); z-index: 3; }
.fail-label { position: absolute; top: -2px; left: 4px; background: var(--bad); color: #fff; font-size: 11px;
  padding: 0 4px; border-radius: 3px; white-space: nowrap; }
.failure { margin-top: 10px; padding: 8px 12px; background: #fdecea; border-left: 4px solid var(--bad); }
.failure ul { margin: 4px 0; padding-left: 20px; }
.note { color: #555; font-style: italic; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 12px; }
#tooltip { position: fixed; z-index: 10; max-width: 520px; padding: 8px 10px; background: #222; color: #fff;
  border-radius: 4px; font-size: 12px; pointer-events: none; box-shadow: 0 2px 8px rgba(0,0,0,0.3); }
#tooltip[hidden] { display: none; }
#tooltip dt { color: #aaa; float: left; clear: left; width: 88px; }
#tooltip dd { margin: 0 0 2px 92px; word-break: break-all; }
#tooltip .title { font-weight: 600; margin-bottom: 4px; }
`;

/** Shows the tooltip for the operation under the pointer. `OPS` is defined before this script. */
export const SCRIPT = `
(function () {
  var tip = document.getElementById('tooltip');
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function show(el, x, y) {
    var d = OPS[el.getAttribute('data-op')];
    if (!d) return;
    var rows = [['client', d.client], ['call', d.call], ['return', d.ret], ['input', d.input], ['output', d.output],
      ['state after', d.state], ['position', d.order ? d.order + ' of ' + d.total : 'not placed']];
    tip.innerHTML = '<div class="title">' + esc(d.text) + '</div><dl>' + rows.map(function (r) {
      return '<dt>' + esc(r[0]) + '</dt><dd>' + esc(r[1]) + '</dd>'; }).join('') + '</dl>';
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.max(4, Math.min(x + 14, window.innerWidth - w - 4)) + 'px';
    tip.style.top = Math.max(4, (y + 16 + h > window.innerHeight ? y - h - 10 : y + 16)) + 'px';
  }
  document.addEventListener('mouseover', function (e) {
    var el = e.target.closest ? e.target.closest('.op') : null;
    if (el) show(el, e.clientX, e.clientY); else tip.hidden = true;
  });
  document.addEventListener('mousemove', function (e) {
    var el = e.target.closest ? e.target.closest('.op') : null;
    if (el) show(el, e.clientX, e.clientY);
  });
})();
`;
