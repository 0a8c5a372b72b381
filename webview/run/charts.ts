// chart.js charts of the run results panel: confusion matrix, ROC and PR curves, importances,
// training curves (which grow while the MLP trains), predicted against actual, residuals, and a
// search's score against each parameter.
import type { ChartConfiguration } from 'chart.js';
import type { Curve } from '../contract';
import type { EpochLog } from '../contract';
import { baseOptions, Chart } from '../shared/chartKit';
import { fmtNumber } from '../shared/dom';
import { chartColors, withAlpha } from '../shared/theme';

export function confusionChart(canvas: HTMLCanvasElement, labels: string[], m: number[][]): Chart {
  const c = chartColors();
  const k = labels.length;
  const rowTotals = m.map((r) => r.reduce((a, b) => a + b, 0) || 1);
  const data: { x: string; y: string; v: number; share: number }[] = [];
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) data.push({ x: labels[j], y: labels[i], v: m[i][j], share: m[i][j] / rowTotals[i] });
  const config = {
    type: 'matrix',
    data: {
      datasets: [{
        label: 'confusion matrix',
        data,
        backgroundColor: (ctx: { raw?: { share: number; x: string; y: string } }) => {
          const r = ctx.raw;
          if (!r) return 'transparent';
          return withAlpha(r.x === r.y ? c.positive : c.negative, Math.min(1, r.share) * 0.85 + 0.05);
        },
        borderWidth: 0,
        width: (ctx: { chart: Chart }) => (ctx.chart.chartArea?.width ?? 0) / k - 1,
        height: (ctx: { chart: Chart }) => (ctx.chart.chartArea?.height ?? 0) / k - 1,
      }],
    },
    options: {
      ...baseOptions('predicted', 'actual'),
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: () => '', label: (ctx: { raw: { x: string; y: string; v: number; share: number } }) => `actual ${ctx.raw.y}, predicted ${ctx.raw.x}: ${ctx.raw.v} (${(ctx.raw.share * 100).toFixed(1)}% of the row)` } },
      },
      scales: {
        x: { type: 'category', labels, offset: true, title: { display: true, text: 'predicted' }, ticks: { color: c.text, autoSkip: false, maxRotation: 90 }, grid: { display: false } },
        y: { type: 'category', labels, offset: true, title: { display: true, text: 'actual' }, ticks: { color: c.text, autoSkip: false }, grid: { display: false } },
      },
    },
    plugins: [cellCounts(c.text)],
  };
  return new Chart(canvas, config as unknown as ChartConfiguration);
}

/** Writes each cell's count in it (when the cells are large enough to read). */
function cellCounts(color: string) {
  return {
    id: 'cellCounts',
    afterDatasetsDraw(chart: Chart) {
      const meta = chart.getDatasetMeta(0);
      const data = chart.data.datasets[0].data as unknown as { v: number }[];
      const ctx = chart.ctx;
      const first = meta.data[0] as unknown as { width: number; height: number } | undefined;
      if (!first || first.width < 18 || first.height < 12) return;
      ctx.save();
      ctx.fillStyle = color;
      ctx.font = `${Math.min(14, Math.floor(first.height / 2))}px sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      meta.data.forEach((el, i) => {
        const { x, y } = el.getProps(['x', 'y'], true) as { x: number; y: number };
        const box = el as unknown as { width: number; height: number };
        ctx.fillText(String(data[i].v), x + box.width / 2, y + box.height / 2);
      });
      ctx.restore();
    },
  };
}

/** ROC (with the chance diagonal) or PR curves, one line per class. */
export function curvesChart(canvas: HTMLCanvasElement, curves: Curve[], kind: 'roc' | 'pr'): Chart {
  const c = chartColors();
  const datasets = curves.map((cv, i) => ({
    label: `${cv.label} (${kind === 'roc' ? 'AUC' : 'AP'} ${cv.auc.toFixed(3)})`,
    data: cv.x.map((x, j) => ({ x, y: cv.y[j] })),
    borderColor: c.series[i % c.series.length],
    backgroundColor: c.series[i % c.series.length],
    pointRadius: 0,
    borderWidth: 1.5,
    showLine: true,
  }));
  if (kind === 'roc') datasets.push({ label: 'chance', data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], borderColor: withAlpha(c.text, 0.4), backgroundColor: withAlpha(c.text, 0.4), pointRadius: 0, borderWidth: 1, showLine: true });
  const o = baseOptions(kind === 'roc' ? 'false positive rate' : 'recall', kind === 'roc' ? 'true positive rate' : 'precision');
  const config: ChartConfiguration<'scatter'> = {
    type: 'scatter',
    data: { datasets },
    // The legend below the plot, where a narrow panel has room for "yes (AUC 0.912)" (on the right it was cut).
    options: { ...o, plugins: { legend: { display: curves.length <= 12, position: 'bottom' } }, scales: { x: { ...o.scales.x, min: 0, max: 1 }, y: { ...o.scales.y, min: 0, max: 1.02 } } },
  };
  return new Chart(canvas, config);
}

export function importancesChart(canvas: HTMLCanvasElement, items: { feature: string; importance: number }[]): Chart {
  const c = chartColors();
  const o = baseOptions('mean decrease in impurity');
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: { labels: items.map((i) => i.feature), datasets: [{ label: 'impurity importance', data: items.map((i) => i.importance), backgroundColor: withAlpha(c.positive, 0.75) }] },
    // Every feature labelled: chart.js skips labels that would crowd (age, blank, sex=male, blank…);
    // the box is sized per bar instead (see its caller).
    options: { ...o, indexAxis: 'y', scales: { ...o.scales, y: { ...o.scales.y, ticks: { ...o.scales.y.ticks, autoSkip: false } } } },
  };
  return new Chart(canvas, config);
}

/**
 * Loss by epoch on the left axis; training accuracy (classification) and, with a validation split,
 * validation loss and metric. Series without points are left out; a live chart starts empty and grows.
 */
const CURVE_SERIES: { label: string; value: (l: EpochLog) => number | undefined; axis: 'y' | 'y1' }[] = [
  { label: 'loss', value: (l) => l.loss, axis: 'y' },
  { label: 'validation loss', value: (l) => l.valLoss, axis: 'y' },
  { label: 'training accuracy', value: (l) => l.accuracy, axis: 'y1' },
  { label: 'validation metric', value: (l) => l.valMetric, axis: 'y1' },
];

export function trainingCurveChart(canvas: HTMLCanvasElement, logs: EpochLog[], classify: boolean): Chart {
  const c = chartColors();
  // Which series this run has: from its epochs, or (live, before any) what its task will give.
  const present = CURVE_SERIES.filter((s) => (logs.length ? logs.some((l) => s.value(l) !== undefined) : s.label === 'loss' || (classify && s.label === 'training accuracy')));
  const datasets = present.map((s) => ({
    label: s.label,
    data: logs.filter((l) => s.value(l) !== undefined).map((l) => ({ x: l.epoch, y: s.value(l)! })),
    borderColor: c.series[CURVE_SERIES.indexOf(s)],
    backgroundColor: c.series[CURVE_SERIES.indexOf(s)],
    yAxisID: s.axis,
    pointRadius: 1.5,
    borderWidth: 1.5,
    showLine: true,
  }));
  const right = present.some((s) => s.axis === 'y1');
  const o = baseOptions('epoch', 'loss');
  const config: ChartConfiguration<'scatter'> = {
    type: 'scatter',
    data: { datasets },
    options: {
      ...o,
      plugins: { legend: { display: true, position: 'top' } },
      scales: { x: o.scales.x, y: o.scales.y, ...(right ? { y1: { position: 'right' as const, title: { display: true, text: 'accuracy' }, ticks: { color: c.text }, grid: { display: false } } } : {}) },
    },
  };
  return new Chart(canvas, config);
}

export function appendEpoch(chart: Chart, log: EpochLog): void {
  for (const ds of chart.data.datasets as { label?: string; data: { x: number; y: number }[] }[]) {
    const v = CURVE_SERIES.find((s) => s.label === ds.label)?.value(log);
    if (v !== undefined) ds.data.push({ x: log.epoch, y: v });
  }
  chart.update('none');
}

/** Predicted against actual with the y = x line, or residuals (actual − predicted) against predicted. */
export function regressionChart(canvas: HTMLCanvasElement, actual: number[], predicted: number[], kind: 'fit' | 'residuals'): Chart {
  const c = chartColors();
  const points = kind === 'fit' ? actual.map((a, i) => ({ x: a, y: predicted[i] })) : predicted.map((p, i) => ({ x: p, y: actual[i] - p }));
  const xs = points.map((p) => p.x);
  const lo = Math.min(...xs), hi = Math.max(...xs);
  const reference = kind === 'fit' ? [{ x: lo, y: lo }, { x: hi, y: hi }] : [{ x: lo, y: 0 }, { x: hi, y: 0 }];
  const config: ChartConfiguration<'scatter'> = {
    type: 'scatter',
    data: {
      datasets: [
        { label: kind === 'fit' ? 'test rows' : 'residual', data: points, backgroundColor: withAlpha(c.positive, 0.45), pointRadius: 2 },
        { label: kind === 'fit' ? 'perfect' : 'zero', data: reference, borderColor: withAlpha(c.text, 0.5), backgroundColor: withAlpha(c.text, 0.5), showLine: true, pointRadius: 0, borderWidth: 1 },
      ],
    },
    options: baseOptions(kind === 'fit' ? 'actual' : 'predicted', kind === 'fit' ? 'predicted' : 'actual − predicted'),
  };
  return new Chart(canvas, config);
}

/** A search's mean score (with ± std) for each value of one parameter. */
export function paramScoreChart(canvas: HTMLCanvasElement, param: string, rows: { value: string; mean: number; std: number }[]): Chart {
  const c = chartColors();
  const values = [...new Set(rows.map((r) => r.value))];
  const config: ChartConfiguration<'scatter'> = {
    type: 'scatter',
    data: {
      datasets: [
        { label: 'mean score', data: rows.map((r) => ({ x: values.indexOf(r.value), y: r.mean })), backgroundColor: c.positive, pointRadius: 4 },
        { label: '± std', data: rows.flatMap((r) => [{ x: values.indexOf(r.value), y: r.mean - r.std }, { x: values.indexOf(r.value), y: r.mean + r.std }]), backgroundColor: withAlpha(c.positive, 0.3), pointRadius: 2, pointStyle: 'line' },
      ],
    },
    options: (() => {
      const o = baseOptions(param, 'mean cv score');
      return { ...o, scales: { ...o.scales, x: { ...o.scales.x, min: -0.5, max: values.length - 0.5, ticks: { ...o.scales.x.ticks, stepSize: 1, callback: (v: string | number) => values[Number(v)] ?? '' } } } };
    })(),
  };
  return new Chart(canvas, config);
}

/** Bars of one metric across runs (the compare panel). */
export function metricBarsChart(canvas: HTMLCanvasElement, metric: string, names: string[], values: (number | undefined)[]): Chart {
  const c = chartColors();
  const o = baseOptions(undefined, metric);
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: { labels: names, datasets: [{ label: metric, data: values.map((v) => v ?? null) as number[], backgroundColor: names.map((_, i) => withAlpha(c.series[i % c.series.length], 0.75)) }] },
    // The axis spans the values, not 0 to the largest: from 0, 0.82 and 0.83 looked equal.
    options: { ...o, scales: { ...o.scales, y: { ...o.scales.y, beginAtZero: false, grace: '10%', ticks: { ...o.scales.y.ticks, callback: (v) => fmtNumber(Number(v)) } } } },
  };
  return new Chart(canvas, config);
}

/**
 * A metric over time (the history panel): one series per model, so a line joins runs of the same
 * model (one line through LR → RF → SVM → MLP in time order zigzagged between models), on a
 * linear time axis that shows the gaps between sessions, each point labelled with its run.
 */
export function historyChart(canvas: HTMLCanvasElement, metric: string, points: { t: number; v: number; label: string; series: string }[]): Chart {
  const c = chartColors();
  const names = [...new Set(points.map((p) => p.series))].sort();
  const datasets = names.map((name, i) => {
    const own = points.filter((p) => p.series === name).sort((a, b) => a.t - b.t);
    const color = c.series[i % c.series.length];
    return { label: name, data: own.map((p) => ({ x: p.t, y: p.v, run: p.label })), borderColor: color, backgroundColor: color, pointRadius: 4, showLine: true };
  });
  const o = baseOptions('run start', metric);
  const day = 86_400_000;
  const span = Math.max(...points.map((p) => p.t)) - Math.min(...points.map((p) => p.t));
  const config: ChartConfiguration<'scatter'> = {
    type: 'scatter',
    data: { datasets },
    options: {
      ...o,
      plugins: {
        legend: { display: true, position: 'bottom' },
        tooltip: { callbacks: { label: (ctx) => `${(ctx.raw as { run: string }).run}: ${fmtNumber((ctx.raw as { y: number }).y)}` } },
      },
      scales: {
        ...o.scales,
        x: { ...o.scales.x, type: 'linear', ticks: { ...o.scales.x.ticks, maxRotation: 0, callback: (v) => (span > 2 * day ? new Date(Number(v)).toLocaleDateString() : new Date(Number(v)).toLocaleTimeString()) } },
        y: { ...o.scales.y, ticks: { ...o.scales.y.ticks, callback: (v) => fmtNumber(Number(v)) } },
      },
    },
  };
  return new Chart(canvas, config);
}
