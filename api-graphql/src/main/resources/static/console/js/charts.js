// Two SVG charts, drawn by hand so that the console needs no charting library: lines with a point per value
// (epoch curves, a metric across versions) and grouped bars (reference and live distributions).

import { s, num } from './dom.js';

const W = 640, PAD = { left: 56, right: 16, top: 30, bottom: 42 };

function niceTicks(min, max, count) {
  if (min === max) { const d = Math.abs(min) * 0.1 || 1; min -= d; max += d; }
  const raw = (max - min) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(st => st >= raw);
  const ticks = [];
  for (let t = Math.floor(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(+t.toFixed(12));
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

/** Tick labels with as many decimals as the step between ticks needs, so that close ticks read apart. */
function tickLabel(t, ticks) {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  const decimals = Math.max(0, Math.min(8, -Math.floor(Math.log10(step) + 1e-9)));
  return Math.abs(t) >= 1e5 ? t.toExponential(1) : t.toFixed(decimals);
}

function legend(series, x) {
  return s('g.legend', {}, series.map((serie, i) => s('g', { transform: `translate(${x + i * 150},14)` },
    s('rect', { class: 'series-' + (i % 4), width: 10, height: 10, y: -9 }),
    s('text', { x: 15 }, serie.name))));
}

/**
 * series: [{name, points: [{x, y, label}]}]; options: {title, xTitle, yTitle, height, xLabels: Map x -> text}.
 * Each point is a circle with a tooltip, so a person can read the exact value.
 */
export function lineChart(series, options = {}) {
  const H = options.height || 260;
  const all = series.flatMap(se => se.points).filter(p => Number.isFinite(p.y));
  const svg = s('svg.chart', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': options.title || 'chart',
    'data-chart': options.id || '' });
  if (!all.length) {
    svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, options.emptyText || 'no values yet'));
    return svg;
  }
  const xs = all.map(p => p.x), ys = all.map(p => p.y);
  const xMin = Math.min(...xs), xMax = Math.max(...xs);
  const yTicks = niceTicks(Math.min(...ys), Math.max(...ys), 5);
  const yMin = yTicks[0], yMax = yTicks[yTicks.length - 1];
  const px = x => PAD.left + (xMax === xMin ? (W - PAD.left - PAD.right) / 2
    : (x - xMin) / (xMax - xMin) * (W - PAD.left - PAD.right));
  const py = y => H - PAD.bottom - (y - yMin) / (yMax - yMin) * (H - PAD.top - PAD.bottom);

  for (const t of yTicks) {
    svg.append(s('line.gridline', { x1: PAD.left, x2: W - PAD.right, y1: py(t), y2: py(t) }));
    svg.append(s('text', { x: PAD.left - 6, y: py(t) + 4, 'text-anchor': 'end' }, tickLabel(t, yTicks)));
  }
  const xValues = [...new Set(xs)].sort((a, b) => a - b);
  const every = Math.max(1, Math.ceil(xValues.length / 12));
  xValues.forEach((x, i) => {
    if (i % every === 0 || i === xValues.length - 1) {
      svg.append(s('text', { x: px(x), y: H - PAD.bottom + 16, 'text-anchor': 'middle' },
        options.xLabels ? options.xLabels.get(x) : num(x)));
    }
  });
  svg.append(s('line.axis', { x1: PAD.left, x2: W - PAD.right, y1: H - PAD.bottom, y2: H - PAD.bottom }));
  svg.append(s('line.axis', { x1: PAD.left, x2: PAD.left, y1: PAD.top - 6, y2: H - PAD.bottom }));
  if (options.xTitle) svg.append(s('text', { x: (W + PAD.left) / 2, y: H - 6, 'text-anchor': 'middle' }, options.xTitle));
  if (options.yTitle) {
    svg.append(s('text', { x: 12, y: (H - PAD.bottom + PAD.top) / 2, 'text-anchor': 'middle',
      transform: `rotate(-90 12 ${(H - PAD.bottom + PAD.top) / 2})` }, options.yTitle));
  }
  series.forEach((serie, i) => {
    const points = serie.points.filter(p => Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
    const cls = 'series-' + (i % 4);
    if (points.length > 1) {
      svg.append(s('path.line', { class: cls, d: points.map((p, j) => (j ? 'L' : 'M') + px(p.x) + ' ' + py(p.y)).join(' ') }));
    }
    for (const p of points) {
      svg.append(s('circle.point', { class: cls, cx: px(p.x), cy: py(p.y), r: points.length > 60 ? 2 : 3.5,
        'data-series': serie.name, 'data-x': p.x, 'data-y': p.y },
        s('title', {}, `${serie.name} ${p.label || ''}: ${num(p.y, 5)}`.replace('  ', ' '))));
    }
  });
  svg.append(legend(series, PAD.left));
  return svg;
}

/** Grouped bars: bins (labels along x) and series [{name, values}] of the same length, as shares (0..1). */
export function barChart(bins, series, options = {}) {
  const H = options.height || 280;
  const svg = s('svg.chart', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': options.title || 'chart',
    'data-chart': options.id || '' });
  const values = series.flatMap(se => se.values).filter(Number.isFinite);
  if (!bins.length || !values.length) {
    svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no distribution recorded'));
    return svg;
  }
  const bottom = PAD.bottom + 22;
  const yTicks = niceTicks(0, Math.max(...values), 4);
  const yMax = yTicks[yTicks.length - 1];
  const py = y => H - bottom - y / yMax * (H - PAD.top - bottom);
  const band = (W - PAD.left - PAD.right) / bins.length;
  const barWidth = Math.max(2, band * 0.8 / series.length);
  for (const t of yTicks) {
    svg.append(s('line.gridline', { x1: PAD.left, x2: W - PAD.right, y1: py(t), y2: py(t) }));
    svg.append(s('text', { x: PAD.left - 6, y: py(t) + 4, 'text-anchor': 'end' },
      options.percent ? Math.round(t * 1000) / 10 + '%' : tickLabel(t, yTicks)));
  }
  const every = Math.max(1, Math.ceil(bins.length / 14));
  bins.forEach((bin, b) => {
    const x0 = PAD.left + b * band + band * 0.1;
    series.forEach((serie, i) => {
      const v = serie.values[b] || 0;
      svg.append(s('rect.bar', { class: 'series-' + (i % 4), x: x0 + i * barWidth, y: py(v), width: barWidth,
        height: Math.max(0, H - bottom - py(v)), 'data-series': serie.name, 'data-bin': bin },
        s('title', {}, `${serie.name}, ${bin}: ${options.percent ? (v * 100).toFixed(1) + '%' : num(v)}`)));
    });
    if (b % every === 0) {
      const cx = PAD.left + (b + 0.5) * band, cy = H - bottom + 12;
      const label = bin.length > 14 ? bin.slice(0, 13) + '…' : bin;
      svg.append(s('text', { x: cx, y: cy, 'text-anchor': 'end', transform: `rotate(-30 ${cx} ${cy})` }, label));
    }
  });
  svg.append(s('line.axis', { x1: PAD.left, x2: W - PAD.right, y1: H - bottom, y2: H - bottom }));
  svg.append(legend(series, PAD.left));
  return svg;
}
