/** Inline CSS of the visualisation page. No network resources. */
export const STYLE = `
:root { color-scheme: light; --ok: #2e7d32; --bad: #c62828; --unk: #8d6e00; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; background: #fafafa; }
header { padding: 12px 20px; background: #fff; border-bottom: 1px solid #ddd; }
h1 { margin: 0 0 4px; font-size: 19px; }
.summary { color: #555; margin: 0; font-size: 13px; }
.verdict { display: inline-block; padding: 0 9px; border-radius: 10px; color: #fff; font-weight: 600; }
.verdict-ok { background: var(--ok); } .verdict-illegal { background: var(--bad); } .verdict-unknown { background: var(--unk); }
#main { display: flex; align-items: flex-start; }
#parts { width: 230px; flex: none; padding: 10px; border-right: 1px solid #ddd; min-height: calc(100vh - 70px); background: #fff; }
#parts[hidden] { display: none; }
#filter { width: 100%; margin-bottom: 6px; padding: 3px 6px; }
#partlist { list-style: none; margin: 0; padding: 0; max-height: calc(100vh - 130px); overflow-y: auto; font-size: 12px; }
#partlist li { padding: 3px 6px; border-radius: 3px; cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#partlist li:hover { background: #eee; } #partlist li.current { background: #dde7f5; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 4px; margin-right: 5px; }
#view { flex: 1; min-width: 0; padding: 10px 16px; }
#ptitle { font-size: 16px; font-weight: 600; margin: 0 0 6px; }
#explain { margin: 6px 0 8px; padding: 7px 10px; border-left: 4px solid #bbb; background: #fff; }
#explain.illegal { border-color: var(--bad); background: #fdecea; } #explain.ok { border-color: var(--ok); }
#explain.unknown { border-color: var(--unk); background: #fff8e1; }
.oplink { color: #0b57d0; cursor: pointer; text-decoration: underline; font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
#toolbar { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; font-size: 12px; color: #555; margin-bottom: 4px; }
#toolbar button { font-size: 12px; padding: 1px 8px; }
.swatch { display: inline-block; width: 12px; height: 9px; border-radius: 2px; vertical-align: middle; margin: 0 3px 0 8px; }
#wrap { position: relative; background: #fff; border: 1px solid #ddd; border-radius: 4px; overflow: hidden; }
#cv { display: block; cursor: grab; }
#details { margin-top: 10px; padding: 8px 12px; background: #fff; border: 1px solid #ddd; border-radius: 4px; font-size: 13px; }
#details table { border-collapse: collapse; font-size: 12px; margin-top: 6px; }
#details td, #details th { padding: 1px 8px; text-align: left; border-bottom: 1px solid #f0f0f0; vertical-align: top; }
#details tr.sel td { background: #fff3c4; font-weight: 600; }
#details dt { color: #666; float: left; clear: left; width: 150px; }
#details dd { margin: 0 0 2px 156px; word-break: break-all; font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 12px; }
.note { color: #555; font-style: italic; }
`;

/**
 * The page's script: reads the embedded data, computes states on demand with the page model, and
 * draws the selected partition on a canvas (one row per client, a time axis, annotation rows,
 * the failure point). Wheel zooms, drag pans, click selects. `window.__viz` is a small API the
 * browser tests use. Written without template literals so that it can sit in one.
 */
export const SCRIPT = `
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('data').textContent);
  var M = null;
  if (D.pageModel) { try { M = (new Function('return (' + D.pageModel + ');'))(); } catch (e) { M = null; } }
  var O = D.ops;
  var COLORS = ['#4f7fbf', '#ef9a9a', '#c62828', '#bdbdbd'];
  var KIND = ['in the linearization', 'could not come next', 'fails here', 'not placed'];
  var ROW = 26, AXIS = 30, LABELW = 92;
  var cv = document.getElementById('cv'), ctx = cv.getContext('2d'), wrap = document.getElementById('wrap');
  var P = null, view = { t0: 0, t1: 1 }, sel = -1, hl = null, W = 800, H = 100, CW = 7, stats = { drawMs: 0, bars: 0, labels: 0 };

  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function out(i) { var o = O.output ? O.output[i] : null; return o === null ? undefined : o; }
  function text(i) { return O.text ? O.text[i] : M.describeOperation(O.input[i], out(i)); }
  function clip(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + '\\u2026' : s; }
  function fmt(t) { return String(Math.round(t * 1000) / 1000); }
  function link(i) { return '<span class="oplink" data-op="' + i + '">#' + i + '</span> <code>' + esc(clip(text(i), 80)) + '</code>'; }

  function build(pi) {
    var p = D.partitions[pi], ops = p.ops, rowOf = {}, clients = [], tags = [], tagRow = {};
    for (var k = 0; k < ops.length; k++) { var c = O.client[ops[k]]; if (!(c in rowOf)) { rowOf[c] = 0; clients.push(c); } }
    clients.sort(function (a, b) { return a - b; });
    var tmin = Infinity, tmax = -Infinity;
    for (k = 0; k < ops.length; k++) {
      var i = ops[k]; tmin = Math.min(tmin, O.call[i]); tmax = Math.max(tmax, O.ret[i] >= 0 ? O.ret[i] : O.call[i]);
    }
    var anns = [];
    D.annotations.forEach(function (a) {
      var onClient = a.client !== undefined && (a.client in rowOf);
      if (!onClient) { var t = a.tag || 'annotations'; if (!(t in tagRow)) { tagRow[t] = tags.length; tags.push(t); } }
      anns.push(a);
      if (ops.length === 0) { tmin = Math.min(tmin, a.start); tmax = Math.max(tmax, a.end === undefined ? a.start : a.end); }
    });
    clients.forEach(function (c, k) { rowOf[c] = tags.length + k; });
    if (!isFinite(tmin)) { tmin = 0; tmax = 1; }
    if (tmax <= tmin) tmax = tmin + 1;
    var lo = tmin, hi = tmax;
    anns.forEach(function (a) { var e = a.end === undefined ? a.start : a.end; if (e >= lo && a.start <= hi) { tmin = Math.min(tmin, a.start); tmax = Math.max(tmax, e); } });
    var order = new Map(), kind = new Map(), pos = new Map(), cand = new Set(p.candidates);
    p.lin.forEach(function (i, k) { order.set(i, k + 1); });
    ops.forEach(function (i, k) { pos.set(i, k); kind.set(i, order.has(i) ? 0 : i === p.failedAt ? 2 : cand.has(i) ? 1 : 3); });
    return { index: pi, p: p, ops: ops, clients: clients, rowOf: rowOf, tags: tags, tagRow: tagRow, anns: anns,
      rows: tags.length + clients.length, tmin: tmin, tmax: tmax, openEnd: tmax + (tmax - tmin) * 0.02, order: order, kind: kind, pos: pos };
  }

  function plotW() { return W - LABELW - 12; }
  function x(t) { return LABELW + (t - view.t0) / (view.t1 - view.t0) * plotW(); }
  function tAt(px) { return view.t0 + (px - LABELW) / plotW() * (view.t1 - view.t0); }
  function endOf(i) { return O.ret[i] >= 0 ? O.ret[i] : P.openEnd; }
  function rowY(r) { return AXIS + r * ROW; }

  function ticks() {
    var span = view.t1 - view.t0, raw = span / Math.max(1, plotW() / 110);
    var mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
    var step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag, out = [];
    for (var t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) out.push(t);
    return out;
  }

  function draw() {
    if (!P) return;
    var started = performance.now(), dpr = window.devicePixelRatio || 1;
    W = Math.max(300, wrap.clientWidth); H = AXIS + Math.max(1, P.rows) * ROW + 6;
    if (cv.width !== Math.round(W * dpr) || cv.height !== Math.round(H * dpr)) {
      cv.width = Math.round(W * dpr); cv.height = Math.round(H * dpr); cv.style.width = W + 'px'; cv.style.height = H + 'px';
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    ctx.font = '11px ui-monospace, Menlo, monospace'; CW = ctx.measureText('0000000000').width / 10;
    // rows
    for (var r = 0; r < P.rows; r++) {
      ctx.fillStyle = r % 2 ? '#fafafa' : '#fff'; ctx.fillRect(0, rowY(r), W, ROW);
    }
    // time axis
    ctx.fillStyle = '#333'; ctx.strokeStyle = '#e3e3e3'; ctx.textBaseline = 'middle';
    ticks().forEach(function (t) {
      var px = Math.round(x(t)) + 0.5; ctx.beginPath(); ctx.moveTo(px, AXIS - 6); ctx.lineTo(px, H); ctx.stroke();
      ctx.fillText(fmt(t), px + 3, AXIS / 2 - 2);
    });
    ctx.strokeStyle = '#999'; ctx.beginPath(); ctx.moveTo(LABELW, AXIS - 0.5); ctx.lineTo(W, AXIS - 0.5); ctx.stroke();
    // annotations and bars, clipped to the plot area
    ctx.save(); ctx.beginPath(); ctx.rect(LABELW, AXIS, W - LABELW, H - AXIS); ctx.clip();
    P.anns.forEach(function (a) {
      var onClient = a.client !== undefined && (a.client in P.rowOf);
      var r = onClient ? P.rowOf[a.client] : P.tagRow[a.tag || 'annotations'];
      var e = a.end === undefined ? a.start : a.end;
      if (e < view.t0 || a.start > view.t1) return;
      var x0 = x(a.start), w = Math.max(3, x(e) - x0), y = rowY(r);
      ctx.fillStyle = a.backgroundColor || (onClient ? 'rgba(255,193,7,0.25)' : '#ffe082');
      if (onClient) ctx.fillRect(x0, y + 1, w, ROW - 2); else ctx.fillRect(x0, y + 5, w, ROW - 10);
      var lx = Math.max(x0, LABELW), lw = x0 + w - lx;
      if (!onClient && lw > 16) { ctx.fillStyle = a.textColor || '#5d4037'; ctx.fillText(clip(a.description, Math.floor((lw - 4) / CW)), lx + 2, y + ROW / 2); }
    });
    // bars
    var nb = 0, nl = 0, ops = P.ops;
    ctx.textBaseline = 'middle';
    for (var k = 0; k < ops.length; k++) {
      var i = ops[k], c = O.call[i], e = endOf(i);
      if (e < view.t0 || c > view.t1) continue;
      var x0 = x(c), x1 = x(e), w = Math.max(2, x1 - x0 - 1), y = rowY(P.rowOf[O.client[i]]) + 4, h = ROW - 8;
      var dim = hl && !hl.has(i);
      ctx.globalAlpha = dim ? 0.3 : 1;
      ctx.fillStyle = COLORS[P.kind.get(i)]; ctx.fillRect(x0, y, w, h); nb++;
      if (O.ret[i] < 0) { ctx.fillStyle = '#fff'; for (var d = x1 - 10; d < x1; d += 4) ctx.fillRect(d, y, 2, h); }
      if (hl && hl.has(i)) { ctx.strokeStyle = '#1b5e20'; ctx.lineWidth = 2; ctx.strokeRect(x0 + 1, y + 1, w - 2, h - 2); ctx.lineWidth = 1; }
      if (i === sel) { ctx.strokeStyle = '#111'; ctx.lineWidth = 2; ctx.strokeRect(x0 - 1, y - 2, w + 2, h + 4); ctx.lineWidth = 1; }
      var vx = Math.max(x0, LABELW), vw = Math.min(x0 + w, W) - vx;
      if (vw > 3 * CW + 4) {
        var n = Math.floor((vw - 6) / CW), label = '#' + i + ' ' + text(i);
        ctx.fillStyle = P.kind.get(i) === 1 || P.kind.get(i) === 3 ? '#222' : '#fff';
        ctx.fillText(clip(label, n), vx + 3, y + h / 2 + 1); nl++;
      }
    }
    ctx.globalAlpha = 1;
    ctx.restore();
    // failure point
    if (P.p.failedAt >= 0) {
      var fx = x(endOf(P.p.failedAt));
      if (fx >= LABELW && fx <= W) {
        ctx.strokeStyle = '#c62828'; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(fx, AXIS); ctx.lineTo(fx, H); ctx.stroke(); ctx.lineWidth = 1;
        var tag = 'fails here: #' + P.p.failedAt, tw = ctx.measureText(tag).width + 10;
        var bx = fx + tw + 4 > W ? fx - tw - 2 : fx + 2;
        ctx.fillStyle = '#c62828'; ctx.fillRect(bx, AXIS + 1, tw, 15);
        ctx.fillStyle = '#fff'; ctx.fillText(tag, bx + 5, AXIS + 9);
      }
    }
    // row labels (drawn last, over the bars they may cover)
    ctx.fillStyle = 'rgba(255,255,255,0.94)'; ctx.fillRect(0, AXIS, LABELW - 2, H);
    ctx.fillStyle = '#444'; ctx.font = '12px system-ui, sans-serif';
    P.tags.forEach(function (t, r) { ctx.fillText(clip(t, 13), 6, rowY(r) + ROW / 2); });
    P.clients.forEach(function (c) { ctx.fillText('client ' + c, 6, rowY(P.rowOf[c]) + ROW / 2); });
    ctx.fillStyle = '#666'; ctx.fillText('time', 6, AXIS / 2 - 2);
    stats = { drawMs: performance.now() - started, bars: nb, labels: nl };
  }

  // ---- partition selection, explanation, details
  function verdictColor(v) { return v === 'ok' ? '#2e7d32' : v === 'illegal' ? '#c62828' : '#8d6e00'; }
  function show(pi) {
    P = build(pi); sel = -1; hl = null;
    view.t0 = P.tmin - (P.tmax - P.tmin) * 0.01; view.t1 = P.openEnd + (P.tmax - P.tmin) * 0.01;
    var p = P.p, many = D.partitions.length > 1;
    var viewEl = document.getElementById('view');
    viewEl.setAttribute('data-partition', String(pi)); viewEl.setAttribute('data-verdict', p.verdict);
    document.getElementById('ptitle').innerHTML = (many ? 'Partition ' + esc(JSON.stringify(p.key)) : 'History') +
      ' <span class="verdict verdict-' + p.verdict + '">' + p.verdict + '</span> <span class="summary">' + p.ops.length + ' operations, ' + P.clients.length + ' clients</span>';
    var ex = document.getElementById('explain'), html;
    if (p.verdict === 'ok') html = 'Linearizable: an order of all ' + p.ops.length + ' operations respects real time and the model. Click an operation to see its place in it and the states.';
    else if (p.verdict === 'illegal') {
      html = '<strong>Not linearizable.</strong> The longest linearizable prefix has ' + p.lin.length + ' of ' + p.ops.length + ' operations. It fails at ' + link(p.failedAt) +
        ': it returned, so it must have taken effect, but no order of the remaining operations allows it.';
      if (p.candidates.length) html += '<br>Could not come next: ' + p.candidates.slice(0, 12).map(link).join(', ') + (p.candidates.length > 12 ? ' \\u2026' : '') + '.';
      html += '<br>States reachable there: ' + p.states.map(function (s) { return '<code>' + esc(clip(s, 200)) + '</code>'; }).join(', ') + '.';
    } else html = p.reason === 'skipped' ? 'Not checked: another partition was already illegal (check with --explain to see every partition).'
      : 'Undecided (' + esc(p.reason) + (p.detail ? ': ' + esc(p.detail) : '') + '). Longest linearizable prefix found: ' + p.lin.length + ' of ' + p.ops.length + ' operations.';
    ex.className = p.verdict; ex.innerHTML = html;
    document.getElementById('details').innerHTML = '<span class="note">Click an operation for its input, output, place in a linearization and the states.</span>';
    document.querySelectorAll('#partlist li').forEach(function (li) { li.classList.toggle('current', Number(li.getAttribute('data-p')) === pi); });
    draw();
  }

  function sequenceFor(i) {
    var p = P.p;
    if (p.verdict === 'ok') return { seq: p.lin, what: 'the linearization' };
    if (p.partial) {
      var node = p.partial.longest[P.pos.get(i)], seq = [];
      for (; node !== undefined && node >= 0; node = p.partial.nodeParent[node]) seq.push(p.partial.nodeOp[node]);
      if (seq.length) return { seq: seq.reverse(), what: 'the longest partial linearization containing #' + i };
    }
    if (P.order.has(i)) return { seq: p.lin, what: 'the longest linearizable prefix' };
    return null;
  }

  // The partition of each operation, for links and selections across partitions.
  var partOf = new Int32Array(O.client.length).fill(-1);
  D.partitions.forEach(function (p, pi) { for (var k = 0; k < p.ops.length; k++) partOf[p.ops[k]] = pi; });

  function select(i) {
    if (i >= 0 && !P.pos.has(i) && partOf[i] >= 0) { show(partOf[i]); reveal(i); }
    sel = i; var d = document.getElementById('details');
    if (i < 0) { hl = null; draw(); return; }
    var s = sequenceFor(i), rows = [];
    var head = '<div><strong>#' + i + '</strong> <code>' + esc(text(i)) + '</code> \\u2014 ' + KIND[P.kind.get(i)] + '</div><dl>' +
      '<dt>client</dt><dd>' + O.client[i] + '</dd><dt>call</dt><dd>' + fmt(O.call[i]) + '</dd><dt>return</dt><dd>' + (O.ret[i] >= 0 ? fmt(O.ret[i]) : 'none (unknown outcome)') + '</dd>' +
      (O.input ? '<dt>input</dt><dd>' + esc(JSON.stringify(O.input[i])) + '</dd><dt>output</dt><dd>' + (out(i) === undefined ? 'unknown' : esc(JSON.stringify(out(i)))) + '</dd>' : '');
    if (!s) {
      hl = null;
      d.innerHTML = head + '<dt>placed</dt><dd>never: no linearization that was found contains it</dd></dl>';
      draw(); return;
    }
    var at = s.seq.indexOf(i);
    head += '<dt>position</dt><dd>' + (at + 1) + ' of ' + s.seq.length + ' in ' + esc(s.what) + '</dd>';
    // Highlight the sequence unless it is the whole partition (then everything would be).
    hl = s.seq.length < P.ops.length ? new Set(s.seq) : null;
    if (M) {
      var state = M.init(), lo = Math.max(0, at - 8), hi = Math.min(s.seq.length, at + 9), before = '', after = '';
      for (var k = 0; k < hi; k++) {
        var j = s.seq[k], next = M.step(state, O.input[j], out(j));
        if (next === undefined) { rows.push('<tr><td colspan="4">step ' + (k + 1) + ' is illegal in the page model</td></tr>'); break; }
        if (k === at) { before = M.describeState(state); after = M.describeState(next); }
        state = next;
        if (k >= lo) rows.push('<tr' + (k === at ? ' class="sel"' : '') + '><td>' + (k + 1) + '</td><td>' + link(j) + '</td><td><code>' + esc(clip(M.describeState(state), 120)) + '</code></td></tr>');
      }
      head += '<dt>state before</dt><dd>' + esc(clip(before, 400)) + '</dd><dt>state after</dt><dd>' + esc(clip(after, 400)) + '</dd>';
      d.innerHTML = head + '</dl><div>Steps ' + (lo + 1) + '\\u2013' + hi + ' of ' + esc(s.what) + ' (states computed in this page):</div><table><tr><th>step</th><th>operation</th><th>state after</th></tr>' + rows.join('') + '</table>';
    } else {
      d.innerHTML = head + '</dl><div class="note">This model has no page implementation, so states are not shown.</div>';
    }
    draw();
  }

  function hit(px, py) {
    var r = Math.floor((py - AXIS) / ROW), t = tAt(px), tol = (view.t1 - view.t0) / plotW() * 3, best = -1;
    for (var k = 0; k < P.ops.length; k++) {
      var i = P.ops[k];
      if (P.rowOf[O.client[i]] !== r) continue;
      if (O.call[i] - tol <= t && t <= endOf(i) + tol) { best = i; if (O.call[i] <= t && t <= endOf(i)) break; }
    }
    return best;
  }

  // ---- interaction: wheel zooms at the pointer, drag pans, click selects
  var drag = null;
  cv.addEventListener('wheel', function (e) {
    if (e.shiftKey || !P) return;
    e.preventDefault();
    var rect = cv.getBoundingClientRect(), t = tAt(e.clientX - rect.left), f = Math.exp(e.deltaY * 0.0015);
    var span = Math.max((view.t1 - view.t0) * f, 1e-9);
    var a = (t - view.t0) / (view.t1 - view.t0);
    view.t0 = t - a * span; view.t1 = view.t0 + span; draw();
  }, { passive: false });
  cv.addEventListener('mousedown', function (e) { drag = { x: e.clientX, t0: view.t0, t1: view.t1, moved: false }; cv.style.cursor = 'grabbing'; });
  window.addEventListener('mousemove', function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x; if (Math.abs(dx) > 3) drag.moved = true;
    var dt = dx / plotW() * (drag.t1 - drag.t0); view.t0 = drag.t0 - dt; view.t1 = drag.t1 - dt; draw();
  });
  window.addEventListener('mouseup', function (e) {
    if (!drag) return;
    var moved = drag.moved; drag = null; cv.style.cursor = 'grab';
    if (moved || e.target !== cv) return;
    var rect = cv.getBoundingClientRect(); select(hit(e.clientX - rect.left, e.clientY - rect.top));
  });
  document.addEventListener('click', function (e) {
    var el = e.target.closest ? e.target.closest('.oplink') : null;
    if (el) { var i = Number(el.getAttribute('data-op')); reveal(i); select(i); }
  });
  function reveal(i) {
    var c = O.call[i], e = endOf(i);
    if (c < view.t0 || e > view.t1) { var span = Math.max(view.t1 - view.t0, (e - c) * 3); view.t0 = (c + e) / 2 - span / 2; view.t1 = view.t0 + span; }
  }
  function zoom(f) { var m = (view.t0 + view.t1) / 2, s = (view.t1 - view.t0) * f; view.t0 = m - s / 2; view.t1 = m + s / 2; draw(); }
  document.getElementById('fit').onclick = function () { show(P.index); };
  document.getElementById('zin').onclick = function () { zoom(0.5); };
  document.getElementById('zout').onclick = function () { zoom(2); };
  window.addEventListener('resize', draw);

  // ---- partition list
  var rank = { illegal: 0, unknown: 1, ok: 2 };
  var order = D.partitions.map(function (_, i) { return i; }).sort(function (a, b) {
    return rank[D.partitions[a].verdict] - rank[D.partitions[b].verdict] || a - b; });
  function list() {
    var f = document.getElementById('filter').value, items = [];
    for (var k = 0; k < order.length && items.length < 400; k++) {
      var p = D.partitions[order[k]];
      if (f && p.key.indexOf(f) < 0) continue;
      items.push('<li data-p="' + order[k] + '"><span class="dot" style="background:' + verdictColor(p.verdict) + '"></span>' + esc(clip(p.key, 24)) + ' \\u00b7 ' + p.ops.length + ' ops</li>');
    }
    document.getElementById('partlist').innerHTML = items.join('') || '<li class="note">no match</li>';
    if (P) document.querySelectorAll('#partlist li').forEach(function (li) { li.classList.toggle('current', Number(li.getAttribute('data-p')) === P.index); });
  }
  document.getElementById('filter').addEventListener('input', list);
  document.getElementById('partlist').addEventListener('click', function (e) {
    var li = e.target.closest('li'); if (li && li.hasAttribute('data-p')) show(Number(li.getAttribute('data-p')));
  });
  if (D.partitions.length > 1) { document.getElementById('parts').hidden = false; list(); }
  if (D.partitions.length > 0) show(order[0]);
  else document.getElementById('explain').innerHTML = 'The history is empty.';

  window.__viz = {
    partition: function () { return P ? P.index : -1; },
    show: show, select: select, stats: function () { return stats; },
    barRect: function (i) {
      var rect = cv.getBoundingClientRect(), x0 = x(O.call[i]), x1 = x(endOf(i));
      return { x: rect.left + x0, y: rect.top + rowY(P.rowOf[O.client[i]]) + 4, width: Math.max(2, x1 - x0 - 1), height: ROW - 8 };
    },
    failRect: function () {
      var rect = cv.getBoundingClientRect(); return P && P.p.failedAt >= 0 ? { x: rect.left + x(endOf(P.p.failedAt)), y: rect.top + AXIS } : null;
    },
    text: text,
    rows: function () { return P ? P.tags.concat(P.clients.map(function (c) { return 'client ' + c; })) : []; },
    view: function () { return { t0: view.t0, t1: view.t1 }; }
  };
})();
`;
