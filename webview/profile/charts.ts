// chart.js charts for the profile panel; each draws into a canvas and returns the Chart to destroy.
import type { ChartConfiguration } from 'chart.js';
import { BoxPlotController, BoxAndWiskers } from '@sgratzl/chartjs-chart-boxplot';
import type { BoxStats, Histogram, Matrix, TopValue } from '../contract';
import { chartColors, withAlpha } from '../shared/theme';
import { abbreviate, fmtNumber } from '../shared/dom';
import { baseOptions, Chart } from '../shared/chartKit';

Chart.register(BoxPlotController, BoxAndWiskers);

/**
 * Bars on a linear axis at their bins' centres, as pandas' hist draws them: the axis takes round
 * numbers (or dates) that fit the panel's width, where bin-range labels on a category axis were
 * skipped half at a time in a narrow panel; a bar's tooltip names its bin.
 */
export function histogramChart(canvas: HTMLCanvasElement, hist: Histogram, label: string, asDates = false): Chart {
  const c = chartColors();
  const n = hist.counts.length;
  const wholeValues = hist.counts.every((_, i) => hist.edges[i + 1] - hist.edges[i] === 1 && Number.isInteger(hist.edges[i] + 0.5));
  const binName = (i: number) => {
    const lo = hist.edges[i], hi = hist.edges[i + 1];
    if (asDates) return `${new Date(lo).toISOString().slice(0, 10)} – ${new Date(hi).toISOString().slice(0, 10)}`;
    return wholeValues ? fmtNumber(lo + 0.5) : `${fmtNumber(lo, 3)} – ${fmtNumber(hi, 3)}`;
  };
  const o = baseOptions(label, 'rows');
  const config: ChartConfiguration<'bar', { x: number; y: number }[]> = {
    type: 'bar',
    data: { datasets: [{ label, data: hist.counts.map((y, i) => ({ x: (hist.edges[i] + hist.edges[i + 1]) / 2, y })), backgroundColor: withAlpha(c.positive, 0.7), borderColor: c.positive, borderWidth: 1, barPercentage: 1, categoryPercentage: 1, grouped: false }] },
    options: {
      ...o,
      plugins: { ...o.plugins, tooltip: { callbacks: { title: (items) => binName(items[0].dataIndex) } } },
      scales: {
        ...o.scales,
        x: {
          ...o.scales.x, type: 'linear', offset: false, min: hist.edges[0], max: hist.edges[n],
          ticks: { ...o.scales.x.ticks, ...(wholeValues ? { precision: 0 } : {}), ...(asDates ? { callback: (v: string | number) => new Date(Number(v)).toISOString().slice(0, 10) } : {}) },
        },
      },
    },
  };
  return new Chart(canvas, config);
}

export function topValuesChart(canvas: HTMLCanvasElement, top: TopValue[], label: string, horizontal = true): Chart {
  const c = chartColors();
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: { labels: top.map((t) => abbreviate(t.value, 40)), datasets: [{ label, data: top.map((t) => t.count), backgroundColor: top.map((_, i) => withAlpha(c.series[i % c.series.length], 0.75)) }] },
    options: { ...baseOptions(horizontal ? 'rows' : label, horizontal ? undefined : 'rows'), indexAxis: horizontal ? 'y' : 'x' },
  };
  return new Chart(canvas, config);
}

/** The colour of a value in a heatmap: hue by sign, strength by size (shared by the cells and the scale). */
export function heatColor(v: number): string {
  const c = chartColors();
  return withAlpha(v >= 0 ? c.positive : c.negative, Math.min(1, Math.abs(v)) * 0.9 + 0.05);
}

/** Writes each cell's value in it, while cells are large enough to hold two decimals. */
const cellValues = {
  id: 'cellValues',
  afterDatasetsDraw(chart: Chart) {
    const meta = chart.getDatasetMeta(0);
    const ctx = chart.ctx;
    const c = chartColors();
    ctx.save();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = '11px sans-serif';
    meta.data.forEach((el, i) => {
      const raw = (chart.data.datasets[0].data as unknown[])[i] as { v: number | null };
      const { x, y, width } = el.getProps(['x', 'y', 'width'], true) as { x: number; y: number; width: number };
      if (raw.v === null || width < 28) return;
      ctx.fillStyle = Math.abs(raw.v) > 0.6 ? '#fff' : c.text;
      ctx.fillText(raw.v.toFixed(2), x + width / 2, y + (el.getProps(['height'], true) as { height: number }).height / 2);
    });
    ctx.restore();
  },
};

/** A heatmap of a symmetric matrix in [-1, 1] (Pearson) or [0, 1] (Cramér's V), values in the cells. */
export function heatmapChart(canvas: HTMLCanvasElement, m: Matrix, signed: boolean): Chart {
  const c = chartColors();
  const n = m.columns.length;
  const data: { x: string; y: string; v: number | null }[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data.push({ x: m.columns[j], y: m.columns[i], v: m.values[i][j] });
  const config = {
    type: 'matrix',
    data: {
      datasets: [{
        label: signed ? 'Pearson r' : "Cramér's V",
        data,
        backgroundColor: (ctx: { raw?: { v: number | null } }) => {
          const v = ctx.raw?.v;
          if (v === null || v === undefined) return 'transparent';
          return heatColor(v);
        },
        borderWidth: 0,
        width: (ctx: { chart: Chart }) => (ctx.chart.chartArea?.width ?? 0) / n - 1,
        height: (ctx: { chart: Chart }) => (ctx.chart.chartArea?.height ?? 0) / n - 1,
      }],
    },
    plugins: [cellValues],
    options: {
      ...baseOptions(),
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: () => '',
            label: (ctx: { raw: { x: string; y: string; v: number | null } }) => `${ctx.raw.y} × ${ctx.raw.x}: ${ctx.raw.v === null ? 'n/a' : ctx.raw.v.toFixed(3)}`,
          },
        },
      },
      scales: {
        x: { type: 'category', labels: m.columns, offset: true, ticks: { color: c.text, autoSkip: false, maxRotation: 90 }, grid: { display: false } },
        y: { type: 'category', labels: m.columns, offset: true, reverse: false, ticks: { color: c.text, autoSkip: false }, grid: { display: false } },
      },
    },
  };
  return new Chart(canvas, config as unknown as ChartConfiguration);
}

export function boxplotChart(canvas: HTMLCanvasElement, boxes: BoxStats[], feature: string): Chart {
  const c = chartColors();
  const config = {
    type: 'boxplot',
    data: {
      labels: boxes.map((b) => b.group),
      datasets: [{
        label: feature,
        data: boxes.map((b) => ({ min: b.whiskerMin, q1: b.q1, median: b.median, q3: b.q3, max: b.whiskerMax, whiskerMin: b.whiskerMin, whiskerMax: b.whiskerMax, mean: b.mean, outliers: [] })),
        backgroundColor: withAlpha(c.positive, 0.35),
        borderColor: c.positive,
        borderWidth: 1,
        medianColor: c.series[1],
        meanBackgroundColor: c.series[1],
      }],
    },
    options: baseOptions('class', feature),
  };
  return new Chart(canvas, config as unknown as ChartConfiguration);
}
