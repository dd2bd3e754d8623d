/** Inline CSS of the trace viewer. */
export const TRACE_STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; background: #fafafa; }
header { padding: 10px 16px; background: #fff; border-bottom: 1px solid #ddd; }
h1 { margin: 0 0 3px; font-size: 18px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-weight: 600; font-size: 13px; }
.pass { background: #2e7d32; } .fail { background: #c62828; }
.summary { color: #555; margin: 0; }
#error { margin: 6px 0 0; padding: 5px 9px; background: #fdecea; border-left: 4px solid #c62828; white-space: pre-wrap; font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
#controls { padding: 6px 16px; display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; font-size: 12px; color: #444; }
#controls label { white-space: nowrap; }
.sw { display: inline-block; width: 11px; height: 9px; border-radius: 2px; vertical-align: middle; margin-right: 3px; }
#wrap { margin: 0 16px; background: #fff; border: 1px solid #ddd; border-radius: 4px; }
#cv { display: block; cursor: grab; }
#fields { margin: 8px 16px 16px; padding: 8px 12px; background: #fff; border: 1px solid #ddd; border-radius: 4px; font-family: ui-monospace, Menlo, monospace; font-size: 12px; white-space: pre-wrap; }
button { font-size: 12px; padding: 1px 8px; }
`;

/**
 * The trace viewer's script: lanes per server (role and term bands, crashes, cut-off periods,
 * commit/apply/snapshot marks) and per client (operations coloured by their linearizability
 * verdict), network-wide unreliable periods shaded, messages as arrows between lanes (filter by
 * method and kind). Wheel zooms at the pointer, drag pans, click shows an item's record.
 * Only what intersects the view is drawn, so 100,000s of records stay interactive.
 * `window.__trace` is the small API the browser tests use. No template literals inside.
 */
export const TRACE_SCRIPT = `
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('data').textContent);
  var ROLE_COLORS = ['#90a4ae', '#ce93d8', '#ffb74d', '#2e7d32'], ROLES = ['follower', 'precandidate', 'candidate', 'leader'];
  var STATUS = ['request', 'reply', 'dropped request', 'dropped reply', 'delayed reply', 'reply to a dead server', 'unreachable'];
  var MARKS = ['commit', 'apply', 'snapshot', 'install snapshot', 'vote', 'event'];
  var PALETTE = ['#1565c0', '#00897b', '#6a1b9a', '#ef6c00', '#5d4037', '#283593', '#00838f', '#ad1457', '#558b2f', '#4e342e'];
  var AXIS = 28, LABELW = 90;
  var cv = document.getElementById('cv'), ctx = cv.getContext('2d'), wrap = document.getElementById('wrap');
  var lanes = D.lanes, H = 0, W = 800, laneY = [], laneH = [];
  var y = AXIS;
  lanes.forEach(function (name, i) { laneY.push(y); var h = name.indexOf('server') === 0 ? 40 : name === 'clerks' ? 30 : 20; laneH.push(h); y += h; });
  H = y + 4;
  var tmin = D.records.length ? D.records[0][0] : 0, tmax = Math.max(D.meta.tEnd, tmin + 1);
  var view = { t0: tmin, t1: tmax + (tmax - tmin) * 0.01 };
  var showMethod = D.methods.map(function () { return true; }), showStatus = STATUS.map(function () { return true; });
  var showMarks = true, selected = null, stats = { drawMs: 0, arrows: 0, ops: 0, marks: 0, bands: 0, capped: false };
  var MAX_ARROWS = 20000;

  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function plotW() { return W - LABELW - 8; }
  function x(t) { return LABELW + (t - view.t0) / (view.t1 - view.t0) * plotW(); }
  function tAt(px) { return view.t0 + (px - LABELW) / plotW() * (view.t1 - view.t0); }
  function mid(l) { return laneY[l] + laneH[l] / 2; }
  // Items are in record order, so by time; find the first index with time >= t.
  function lower(ts, t) { var lo = 0, hi = ts.length; while (lo < hi) { var m = (lo + hi) >> 1; if (ts[m] < t) lo = m + 1; else hi = m; } return lo; }
  function spanOf(a, b) { var s = 0; for (var i = 0; i < a.length; i++) s = Math.max(s, Math.abs(b[i] - a[i])); return s; }
  var msgT = D.msgs.rec.map(function (r) { return D.records[r][0]; }), msgSpan = spanOf(D.msgs.t0, D.msgs.t1) + 1;
  var opT = D.ops.t1, opSpan = spanOf(D.ops.t0, D.ops.t1) + 1;

  function ticks() {
    var span = view.t1 - view.t0, raw = span / Math.max(1, plotW() / 110);
    var mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
    var step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag, out = [];
    for (var t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) out.push(t);
    return { list: out, step: step };
  }
  function fmt(t, step) { return step >= 1000 ? (t / 1000).toFixed(step >= 10000 ? 0 : 1) + ' s' : (Math.round(t * 1000) / 1000) + ' ms'; }

  function arrow(x0, y0, x1, y1, color, dashed) {
    ctx.strokeStyle = color; ctx.fillStyle = color;
    ctx.setLineDash(dashed ? [3, 3] : []);
    ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
    ctx.setLineDash([]);
    var a = Math.atan2(y1 - y0, x1 - x0), s = 5;
    ctx.beginPath(); ctx.moveTo(x1, y1); ctx.lineTo(x1 - s * Math.cos(a - 0.45), y1 - s * Math.sin(a - 0.45));
    ctx.lineTo(x1 - s * Math.cos(a + 0.45), y1 - s * Math.sin(a + 0.45)); ctx.closePath(); ctx.fill();
  }

  function draw() {
    var started = performance.now(), dpr = window.devicePixelRatio || 1;
    W = Math.max(400, wrap.clientWidth);
    if (cv.width !== Math.round(W * dpr) || cv.height !== Math.round(H * dpr)) {
      cv.width = Math.round(W * dpr); cv.height = Math.round(H * dpr); cv.style.width = W + 'px'; cv.style.height = H + 'px';
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0); ctx.clearRect(0, 0, W, H);
    ctx.font = '11px ui-monospace, Menlo, monospace'; ctx.textBaseline = 'middle';
    var n = { arrows: 0, ops: 0, marks: 0, bands: 0, capped: false };
    lanes.forEach(function (_, l) { ctx.fillStyle = l % 2 ? '#fafafa' : '#fff'; ctx.fillRect(0, laneY[l], W, laneH[l]); });
    ctx.save(); ctx.beginPath(); ctx.rect(LABELW, 0, W - LABELW, H); ctx.clip();
    // network-wide periods
    D.unreliable.forEach(function (p) { if (p[1] < view.t0 || p[0] > view.t1) return; ctx.fillStyle = 'rgba(255,152,0,0.10)'; ctx.fillRect(x(p[0]), AXIS, x(p[1]) - x(p[0]), H - AXIS); });
    D.reordering.forEach(function (p) { if (p[1] < view.t0 || p[0] > view.t1) return; ctx.fillStyle = 'rgba(121,85,72,0.08)'; ctx.fillRect(x(p[0]), AXIS, x(p[1]) - x(p[0]), H - AXIS); });
    // axis
    var tk = ticks();
    ctx.strokeStyle = '#eee'; ctx.fillStyle = '#333';
    tk.list.forEach(function (t) { var px = Math.round(x(t)) + 0.5; ctx.beginPath(); ctx.moveTo(px, AXIS - 5); ctx.lineTo(px, H); ctx.stroke(); ctx.fillText(fmt(t, tk.step), px + 3, AXIS / 2); });
    // role and term bands
    var B = D.bands;
    for (var i = 0; i < B.lane.length; i++) {
      if (B.t1[i] < view.t0 || B.t0[i] > view.t1) continue;
      var x0 = x(B.t0[i]), w = Math.max(1, x(B.t1[i]) - x0), by = laneY[B.lane[i]] + 3;
      ctx.fillStyle = ROLE_COLORS[B.role[i]]; ctx.fillRect(x0, by, w, 11); n.bands++;
      if (w > 28 && B.term[i] >= 0) { ctx.fillStyle = B.role[i] === 3 ? '#fff' : '#111'; ctx.fillText('T' + B.term[i] + (w > 80 ? ' ' + ROLES[B.role[i]] : ''), Math.max(x0, LABELW) + 3, by + 6); }
    }
    // cut off from a majority, crashed
    var C = D.cut;
    for (i = 0; i < C.lane.length; i++) {
      if (C.t1[i] < view.t0 || C.t0[i] > view.t1) continue;
      ctx.fillStyle = 'rgba(120,120,120,0.22)'; ctx.fillRect(x(C.t0[i]), laneY[C.lane[i]], x(C.t1[i]) - x(C.t0[i]), laneH[C.lane[i]]);
    }
    var Dn = D.down;
    for (i = 0; i < Dn.lane.length; i++) {
      if (Dn.t1[i] < view.t0 || Dn.t0[i] > view.t1) continue;
      var dx = x(Dn.t0[i]), dw = Math.max(2, x(Dn.t1[i]) - dx), dy = laneY[Dn.lane[i]];
      ctx.fillStyle = 'rgba(33,33,33,0.55)'; ctx.fillRect(dx, dy + 2, dw, laneH[Dn.lane[i]] - 4);
      if (dw > 40) { ctx.fillStyle = '#fff'; ctx.fillText('crashed', Math.max(dx, LABELW) + 3, dy + laneH[Dn.lane[i]] / 2); }
    }
    // marks: commit/apply indices, snapshots, votes
    if (showMarks) {
      var K = D.marks, ks = lower(K.t, view.t0), lastLabel = {};
      for (i = ks; i < K.t.length && K.t[i] <= view.t1; i++) {
        var mx = x(K.t[i]), l = K.lane[i], my = laneY[l] + laneH[l] - 8, kind = K.kind[i];
        n.marks++;
        if (kind === 0) { ctx.fillStyle = '#1b5e20'; ctx.fillRect(mx - 0.5, my - 4, 1.5, 9); }
        else if (kind === 1) { ctx.fillStyle = '#0277bd'; ctx.fillRect(mx - 1, my + 1, 2.5, 3); }
        else if (kind === 2 || kind === 3) { ctx.fillStyle = '#8e24aa'; ctx.beginPath(); ctx.moveTo(mx, my - 5); ctx.lineTo(mx + 4, my); ctx.lineTo(mx, my + 5); ctx.lineTo(mx - 4, my); ctx.fill(); }
        else if (kind === 4) { ctx.fillStyle = '#ef6c00'; ctx.fillRect(mx - 1.5, laneY[l] + 15, 3, 3); }
        else { ctx.fillStyle = '#9e9e9e'; ctx.fillRect(mx - 0.5, laneY[l] + 15, 1, 5); }
        if ((kind === 0 || kind === 2 || kind === 3) && K.value[i] >= 0 && (lastLabel[l] === undefined || mx - lastLabel[l] > 34)) {
          ctx.fillStyle = kind === 0 ? '#1b5e20' : '#6a1b9a'; ctx.fillText((kind === 0 ? 'c' : 's') + K.value[i], mx + 2, my - 6); lastLabel[l] = mx;
        }
      }
    }
    // client operations
    var P = D.ops, os = lower(opT, view.t0);
    for (i = os; i < opT.length && P.t0[i] <= view.t1 + opSpan; i++) {
      if (P.t0[i] > view.t1) continue;
      var ox = x(P.t0[i]), ow = Math.max(2, x(P.t1[i]) - ox), oy = laneY[P.lane[i]] + 3, oh = laneH[P.lane[i]] - 6;
      ctx.fillStyle = P.verdict[i] === 2 ? '#c62828' : P.verdict[i] === 1 ? '#ef9a9a' : '#4f7fbf';
      ctx.fillRect(ox, oy, ow, oh); n.ops++;
      var vx = Math.max(ox, LABELW), vw = ox + ow - vx;
      if (vw > 40) { ctx.fillStyle = P.verdict[i] === 1 ? '#222' : '#fff'; var cw = 6.6, s = P.text[i]; var m = Math.floor((vw - 5) / cw); ctx.fillText(s.length > m ? s.slice(0, m - 1) + '\\u2026' : s, vx + 3, oy + oh / 2 + 1); }
    }
    // messages: when more than MAX_ARROWS are in view, every k-th is drawn (evenly over time)
    var G = D.msgs, gs = lower(msgT, view.t0 - msgSpan), ge = gs, visible = 0;
    while (ge < msgT.length && msgT[ge] <= view.t1 + msgSpan) ge++;
    for (i = gs; i < ge; i++) if (showMethod[G.method[i]] && showStatus[G.status[i]]) visible++;
    var stride = Math.max(1, Math.ceil(visible / MAX_ARROWS)), seen = 0;
    n.capped = stride > 1; n.stride = stride;
    for (i = gs; i < ge; i++) {
      if (!showMethod[G.method[i]] || !showStatus[G.status[i]]) continue;
      if (seen++ % stride !== 0) continue;
      var a = G.t0[i], b = G.t1[i];
      if (Math.max(a, b) < view.t0 || Math.min(a, b) > view.t1) continue;
      var st = G.status[i], color = PALETTE[G.method[i] % PALETTE.length], y0 = mid(G.from[i]), y1 = mid(G.to[i]);
      n.arrows++;
      if (st === 0 || st === 1 || st === 4) {
        arrow(x(a), y0, x(b), y1, st === 4 ? '#ef6c00' : color, st === 1);
      } else {
        // lost: a short stub towards the receiver ending in a cross
        var sx = x(a), ex = sx + 10, ey = y0 + (y1 - y0) * 0.3;
        ctx.strokeStyle = '#d32f2f'; ctx.beginPath(); ctx.moveTo(sx, y0); ctx.lineTo(ex, ey); ctx.stroke();
        ctx.beginPath(); ctx.moveTo(ex - 3, ey - 3); ctx.lineTo(ex + 3, ey + 3); ctx.moveTo(ex + 3, ey - 3); ctx.lineTo(ex - 3, ey + 3); ctx.stroke();
      }
    }
    if (selected && selected.x !== undefined) { ctx.strokeStyle = '#111'; ctx.lineWidth = 2; ctx.strokeRect(selected.x - 4, selected.y - 4, 8, 8); ctx.lineWidth = 1; }
    ctx.restore();
    // lane labels
    ctx.fillStyle = 'rgba(255,255,255,0.95)'; ctx.fillRect(0, AXIS, LABELW - 2, H);
    ctx.font = '12px system-ui, sans-serif'; ctx.fillStyle = '#333';
    lanes.forEach(function (name, l) { ctx.fillText(name, 6, mid(l)); });
    ctx.fillStyle = '#666'; ctx.fillText('virtual time', 6, AXIS / 2);
    if (n.capped) { ctx.fillStyle = '#c62828'; ctx.fillText('showing 1 in ' + n.stride + ' of ' + visible + ' messages in view: zoom in to see them all', LABELW + 6, H - 8); }
    n.drawMs = performance.now() - started; stats = n;
  }

  // ---- click: the nearest item's record
  function pick(px, py) {
    var t = tAt(px), tol = (view.t1 - view.t0) / plotW() * 4, l = -1;
    for (var k = 0; k < lanes.length; k++) if (py >= laneY[k] && py < laneY[k] + laneH[k]) l = k;
    var best = null, bd = 1e9, i;
    var P = D.ops;
    for (i = lower(opT, t - tol); i < opT.length && P.t0[i] <= t + tol + opSpan; i++) {
      if (P.lane[i] === l && P.t0[i] - tol <= t && t <= P.t1[i] + tol) return { rec: P.rec[i], what: 'client operation: ' + P.text[i] + (P.verdict[i] === 2 ? ' (fails here)' : P.verdict[i] === 1 ? ' (in a key that is not linearizable)' : '') };
    }
    var K = D.marks;
    for (i = lower(K.t, t - tol); i < K.t.length && K.t[i] <= t + tol; i++) {
      if (K.lane[i] !== l || !showMarks) continue;
      var d = Math.abs(x(K.t[i]) - px); if (d < bd) { bd = d; best = { rec: K.rec[i], what: MARKS[K.kind[i]] + (K.value[i] >= 0 ? ' ' + K.value[i] : ''), x: x(K.t[i]), y: laneY[l] + laneH[l] - 8 }; }
    }
    var G = D.msgs;
    for (i = lower(msgT, t - msgSpan); i < msgT.length && msgT[i] <= t + msgSpan; i++) {
      if (!showMethod[G.method[i]] || !showStatus[G.status[i]]) continue;
      var x0 = x(G.t0[i]), x1 = x(G.t1[i]), y0 = mid(G.from[i]), y1 = mid(G.to[i]);
      var len2 = (x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0), u = len2 ? Math.max(0, Math.min(1, ((px - x0) * (x1 - x0) + (py - y0) * (y1 - y0)) / len2)) : 0;
      var dd = Math.hypot(px - (x0 + u * (x1 - x0)), py - (y0 + u * (y1 - y0)));
      if (dd < 5 && dd < bd) { bd = dd; best = { rec: G.rec[i], what: STATUS[G.status[i]] + ' ' + D.methods[G.method[i]] + ': ' + lanes[G.from[i]] + ' \\u2192 ' + lanes[G.to[i]], x: x0 + u * (x1 - x0), y: y0 + u * (y1 - y0) }; }
    }
    if (best) return best;
    var B = D.bands;
    for (i = 0; i < B.lane.length; i++) if (B.lane[i] === l && B.t0[i] <= t && t <= B.t1[i] && py < laneY[l] + 16) return { what: ROLES[B.role[i]] + ' in term ' + B.term[i] + ' from ' + B.t0[i].toFixed(3) + ' to ' + B.t1[i].toFixed(3) + ' ms' };
    return null;
  }
  function describe(item) {
    var el = document.getElementById('fields');
    if (!item) { el.textContent = 'Click an arrow, an operation, a mark or a band to see its record.'; return; }
    var text = item.what;
    if (item.rec !== undefined) {
      var r = D.records[item.rec];
      text += '\\n\\nrecord #' + item.rec + '\\nt   = ' + r[0] + ' ms\\nsrc = ' + r[1] + '\\nev  = ' + r[2] + '\\n' + JSON.stringify(JSON.parse(r[3]), null, 2);
    }
    el.textContent = text;
  }

  var drag = null;
  cv.addEventListener('wheel', function (e) {
    if (e.shiftKey) return;
    e.preventDefault();
    var rect = cv.getBoundingClientRect(), t = tAt(e.clientX - rect.left), f = Math.exp(e.deltaY * 0.0015);
    var span = Math.max((view.t1 - view.t0) * f, 0.001), a = (t - view.t0) / (view.t1 - view.t0);
    view.t0 = t - a * span; view.t1 = view.t0 + span; draw();
  }, { passive: false });
  cv.addEventListener('mousedown', function (e) { drag = { x: e.clientX, t0: view.t0, t1: view.t1, moved: false }; });
  window.addEventListener('mousemove', function (e) {
    if (!drag) return; var dx = e.clientX - drag.x; if (Math.abs(dx) > 3) drag.moved = true;
    var dt = dx / plotW() * (drag.t1 - drag.t0); view.t0 = drag.t0 - dt; view.t1 = drag.t1 - dt; draw();
  });
  window.addEventListener('mouseup', function (e) {
    if (!drag) return; var moved = drag.moved; drag = null;
    if (moved || e.target !== cv) return;
    var rect = cv.getBoundingClientRect(); selected = pick(e.clientX - rect.left, e.clientY - rect.top); describe(selected); draw();
  });
  window.addEventListener('resize', draw);
  document.getElementById('fit').onclick = function () { view.t0 = tmin; view.t1 = tmax + (tmax - tmin) * 0.01; draw(); };

  // ---- filters
  var box = document.getElementById('filters'), html = '';
  D.methods.forEach(function (m, i) { html += '<label><input type="checkbox" data-m="' + i + '" checked><span class="sw" style="background:' + PALETTE[i % PALETTE.length] + '"></span>' + esc(m) + '</label>'; });
  STATUS.forEach(function (s, i) { html += '<label><input type="checkbox" data-s="' + i + '" checked>' + esc(s) + '</label>'; });
  html += '<label><input type="checkbox" id="marks" checked>commit/apply/snapshot marks</label>';
  box.innerHTML = html;
  box.addEventListener('change', function (e) {
    var el = e.target;
    if (el.hasAttribute('data-m')) showMethod[Number(el.getAttribute('data-m'))] = el.checked;
    else if (el.hasAttribute('data-s')) showStatus[Number(el.getAttribute('data-s'))] = el.checked;
    else if (el.id === 'marks') showMarks = el.checked;
    draw();
  });
  describe(null);
  draw();

  window.__trace = {
    stats: function () { return stats; },
    lanes: function () { return lanes.slice(); },
    zoom: function (t0, t1) { view.t0 = t0; view.t1 = t1; draw(); return stats; },
    point: function (t, lane) { var rect = cv.getBoundingClientRect(); return { x: rect.left + x(t), y: rect.top + mid(lane) }; },
    laneTop: function (lane) { var rect = cv.getBoundingClientRect(); return rect.top + laneY[lane]; },
    counts: function () { return { bands: D.bands.lane.length, down: D.down.lane.length, cut: D.cut.lane.length, unreliable: D.unreliable.length, msgs: D.msgs.from.length, marks: D.marks.t.length, ops: D.ops.t0.length, records: D.records.length }; },
    data: D
  };
})();
`;
