package io.officehours.loadtest;

import io.vertx.core.json.JsonObject;

/**
 * A self-contained HTML report of one result: the result JSON (less the encoded histograms) sits
 * in the page, and a little inline script draws SVG charts from it (throughput and levels per
 * second, latency per second, percentile curves, errors) and the tables. No external file, no CDN.
 */
final class Report {

  private Report() {}

  static String html(JsonObject result) {
    JsonObject data = result.copy();
    data.remove("histograms");
    // "</" cannot end the script element inside a JSON string once escaped
    String json = data.encode().replace("</", "<\\/");
    return TEMPLATE.replace("__TITLE__", result.getString("scenario") + " " + result.getString("startedAt"))
        .replace("__DATA__", json);
  }

  private static final String TEMPLATE = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>Office Hours load test: __TITLE__</title>
      <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1100px; }
        h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
        .badge { padding: 2px 10px; border-radius: 10px; color: #fff; font-weight: 600; }
        .pass { background: #2a7d2a; } .fail { background: #b32020; }
        table { border-collapse: collapse; margin: 8px 0; }
        td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: #f4f4f4; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px; }
        .chart { border: 1px solid #e4e4e4; padding: 6px; }
        .chart h3 { font-size: 13px; margin: 0 0 4px 0; }
        svg text { font: 11px system-ui, sans-serif; fill: #444; }
        .muted { color: #777; }
      </style>
      </head>
      <body>
      <h1 id="title"></h1>
      <div id="head"></div>
      <div class="charts" id="charts"></div>
      <div id="tables"></div>
      <script type="application/json" id="data">__DATA__</script>
      <script>
      (function () {
        'use strict';
        const R = JSON.parse(document.getElementById('data').textContent);
        const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
        const NS = 'http://www.w3.org/2000/svg';
        const el = (tag, attrs, parent) => {
          const e = tag.startsWith('svg:') ? document.createElementNS(NS, tag.slice(4)) : document.createElement(tag);
          for (const k in (attrs || {})) { if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); }
          if (parent) parent.appendChild(e);
          return e;
        };
        const fmt = v => v === null || v === undefined ? '' : (typeof v === 'number'
          ? (Number.isInteger(v) ? v.toLocaleString('en') : v.toLocaleString('en', {maximumFractionDigits: 3})) : String(v));

        function niceTicks(lo, hi, n) {
          if (hi <= lo) hi = lo + 1;
          const raw = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
          const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw);
          const ticks = [];
          for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toFixed(10));
          // the top tick must reach the highest value, or lines leave the plot
          while (ticks.length === 0 || ticks[ticks.length - 1] < hi) ticks.push(+((ticks.length ? ticks[ticks.length - 1] : lo) + step).toFixed(10));
          return ticks;
        }

        // series: [{name, points: [[x, y], ...]}]; opts: {x, y, xTicks: [[value, label]], xMax}
        function chart(title, series, opts) {
          series = series.filter(s => s.points.length > 0);
          if (series.length === 0) return;
          const W = 520, H = 250, L = 58, Rm = 24, T = 10, B = 40;
          const box = el('div', {class: 'chart'}, document.getElementById('charts'));
          el('h3', {text: title}, box);
          const svg = el('svg:svg', {width: W, height: H, viewBox: '0 0 ' + W + ' ' + H}, box);
          const xs = series.flatMap(s => s.points.map(p => p[0])), ys = series.flatMap(s => s.points.map(p => p[1]));
          const x0 = opts.xMin !== undefined ? opts.xMin : Math.min(...xs), x1 = opts.xMax !== undefined ? opts.xMax : Math.max(...xs);
          const y1 = Math.max(...ys) || 1;
          const yTicks = niceTicks(0, y1, 5), yTop = yTicks[yTicks.length - 1];
          const sx = x => L + (x - x0) / ((x1 - x0) || 1) * (W - L - Rm), sy = y => H - B - y / yTop * (H - T - B);
          yTicks.forEach(v => {
            el('svg:line', {x1: L, x2: W - Rm, y1: sy(v), y2: sy(v), stroke: '#eee'}, svg);
            el('svg:text', {x: L - 4, y: sy(v) + 4, 'text-anchor': 'end', text: fmt(v)}, svg);
          });
          (opts.xTicks || niceTicks(x0, x1, 6).map(v => [v, fmt(v)])).forEach(([v, label]) => {
            if (v < x0 || v > x1) return;
            el('svg:line', {x1: sx(v), x2: sx(v), y1: H - B, y2: H - B + 4, stroke: '#888'}, svg);
            el('svg:text', {x: sx(v), y: H - B + 15, 'text-anchor': 'middle', text: label}, svg);
          });
          el('svg:line', {x1: L, x2: W - Rm, y1: H - B, y2: H - B, stroke: '#888'}, svg);
          el('svg:line', {x1: L, x2: L, y1: T, y2: H - B, stroke: '#888'}, svg);
          el('svg:text', {x: (L + W) / 2, y: H - 6, 'text-anchor': 'middle', text: opts.x}, svg);
          el('svg:text', {x: 12, y: (H - B) / 2, transform: 'rotate(-90 12 ' + (H - B) / 2 + ')', 'text-anchor': 'middle', text: opts.y}, svg);
          series.forEach((s, i) => {
            const c = COLORS[i % COLORS.length];
            el('svg:polyline', {fill: 'none', stroke: c, 'stroke-width': 1.6,
              points: s.points.map(p => sx(p[0]).toFixed(1) + ',' + sy(p[1]).toFixed(1)).join(' ')}, svg);
            el('svg:rect', {x: L + 8, y: T + 4 + i * 14, width: 10, height: 3, fill: c}, svg);
            el('svg:text', {x: L + 22, y: T + 9 + i * 14, text: s.name}, svg);
          });
        }

        function table(title, rows, header) {
          if (!rows.length) return;
          const box = document.getElementById('tables');
          el('h2', {text: title}, box);
          const t = el('table', {}, box);
          if (header) { const tr = el('tr', {}, t); header.forEach(h => el('th', {text: h}, tr)); }
          rows.forEach(r => {
            const tr = el('tr', {}, t);
            r.forEach((c, i) => el(i === 0 ? 'th' : 'td', {text: fmt(c), class: typeof c === 'number' ? 'num' : ''}, tr));
          });
        }

        document.getElementById('title').textContent = 'Office Hours load test: ' + R.scenario;
        const head = document.getElementById('head');
        el('span', {class: 'badge ' + (R.passed ? 'pass' : 'fail'), text: R.passed ? 'PASSED' : 'FAILED'}, head);
        el('span', {class: 'muted', text: '  run ' + R.runId + ', started ' + R.startedAt + ', targets ' + R.targets.join(', ')
          + ', ' + R.procs + ' process(es)' + (R.timedOut ? ', TIMED OUT' : '') + (R.failure ? ', failure: ' + R.failure : '')}, head);

        const tl = R.timeline || [], charts = R.charts || {};
        const rate = name => tl.map((s, i) => {
          const prev = i === 0 ? {t: 0, c: {}} : tl[i - 1];
          const dt = Math.max(0.001, s.t - prev.t);
          return [s.t, ((s.c[name] || 0) - (prev.c[name] || 0)) / dt];
        });
        // one chart per rate: messages/s and chats/s differ by orders of magnitude
        (charts.rates || []).forEach(n => chart(n + ' per second', [{name: n + '/s', points: rate(n)}], {x: 'seconds', y: 'per second'}));
        chart('Connections and progress', (charts.levels || []).map(n => ({name: n, points: tl.map(s => [s.t, s.c[n] || 0])})), {x: 'seconds', y: 'count'});
        const lat = [];
        (charts.latency || []).forEach(n => {
          lat.push({name: n + ' p50', points: tl.filter(s => s.h[n]).map(s => [s.t, s.h[n][1]])});
          lat.push({name: n + ' p99', points: tl.filter(s => s.h[n]).map(s => [s.t, s.h[n][3]])});
        });
        chart('Latency per second (ms)', lat, {x: 'seconds', y: 'ms'});
        const nines = p => -Math.log10(Math.max(1e-6, 1 - p / 100));
        const curveNames = [...new Set([...(charts.latency || []), ...(charts.distributions || [])])];
        chart('Latency by percentile, whole run (ms)', curveNames.filter(n => R.percentileCurves[n]).map(n => ({name: n,
          points: R.percentileCurves[n].filter(p => p[0] < 99.9999).map(p => [nines(p[0]), p[1]])})),
          {x: 'percentile', y: 'ms', xMin: 0, xTicks: [[0, '0'], [1, '90'], [2, '99'], [3, '99.9'], [4, '99.99'], [5, '99.999']]});
        chart('Errors (cumulative)', [{name: 'errors', points: tl.map(s => [s.t, s.e])}], {x: 'seconds', y: 'errors'});

        const flat = o => Object.keys(o || {}).filter(k => typeof o[k] !== 'object' || o[k] === null).map(k => [k, o[k]]);
        table('Summary', flat(R.summary));
        if (R.correctness) table('Correctness', flat(R.correctness));
        table('Latency (ms)', Object.keys(R.latency).filter(k => R.latency[k].count > 0).map(k => {
          const l = R.latency[k];
          return [k, l.count, l.p50, l.p90, l.p99, l.p999, l.max, l.mean];
        }), ['', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max', 'mean']);
        table('Errors by code', flat(R.errors));
        table('Parameters', flat(R.params).concat([['targets', R.targets.join(', ')], ['procs', R.procs]]));
        table('Server', flat(R.server).filter(r => String(r[1]).length < 200));
        table('Definitions', flat(R.definitions));
        table('Notes', (R.notes || []).map((n, i) => [i + 1, n]));
      })();
      </script>
      </body>
      </html>
      """;
}
