// What every panel's charts share: chart.js with the controllers we use registered once, axis
// options in theme colours, and a set of live charts keyed by name (drawn once the canvas is in
// the page, destroyed by key prefix when their section is redrawn).
import { Chart, registerables } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import { chartColors, withAlpha } from './theme';

/**
 * What a reader cannot read in a drawn chart: category labels that chart.js skipped for want of
 * room (the importance chart once labelled every other bar), legend items past the canvas's edge
 * ("yes (AUC 0." in a narrow panel), tick labels cut at the left. Empty when all can be read.
 */
export function unreadable(chart: Chart): string[] {
  const out: string[] = [];
  for (const scale of Object.values(chart.scales)) {
    const labels = scale.type === 'category' ? (scale.getLabels() as unknown[]) : [];
    const shown = scale.ticks.length;
    if (labels.length && shown < labels.length) out.push(`${scale.axis} axis: ${shown} of ${labels.length} labels shown`);
    // Labels stacked one above the other (a y axis, or an x axis turned upright) need a line each.
    const upright = scale.axis === 'y' || ((scale as unknown as { labelRotation?: number }).labelRotation ?? 0) >= 60;
    if (labels.length > 1 && shown > 1 && upright) {
      const gap = Math.abs(scale.getPixelForTick(1) - scale.getPixelForTick(0));
      const line = Chart.defaults.font.size ?? 12;
      if (gap < 0.9 * line) out.push(`${scale.axis} axis: labels overlap (${gap.toFixed(0)} px apart, ${line} px text)`);
    }
    if (scale.left < -0.5) out.push(`${scale.axis} axis: labels cut at the left edge`);
  }
  const legend = chart.legend as (typeof chart.legend & { legendHitBoxes?: { left: number; width: number }[] }) | undefined;
  if (legend && chart.options.plugins?.legend?.display !== false) {
    const items = legend.legendItems ?? [];
    (legend.legendHitBoxes ?? []).forEach((box, i) => {
      if (box.left < -0.5 || box.left + box.width > chart.width + 0.5) out.push(`legend: "${items[i]?.text ?? i}" runs past the edge`);
    });
  }
  return out;
}

/** After each layout, the chart's box says whether everything in it can be read (data-unreadable, for tests and bug reports). */
const legibility = {
  id: 'mlwLegibility',
  afterDraw(chart: Chart) {
    const box = chart.canvas.parentElement;
    if (!box) return;
    const problems = unreadable(chart);
    box.dataset.readable = problems.length ? 'no' : 'yes';
    box.dataset.unreadable = problems.join('; ');
  },
};

Chart.register(...registerables, MatrixController, MatrixElement, legibility);

export { Chart };

export function baseOptions(xTitle?: string, yTitle?: string) {
  const c = chartColors();
  Chart.defaults.color = c.text;
  Chart.defaults.borderColor = withAlpha(c.grid, 0.4);
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    plugins: { legend: { display: false } },
    scales: {
      x: { title: { display: !!xTitle, text: xTitle ?? '' }, ticks: { color: c.text }, grid: { color: withAlpha(c.grid, 0.2) } },
      y: { title: { display: !!yTitle, text: yTitle ?? '' }, ticks: { color: c.text }, grid: { color: withAlpha(c.grid, 0.2) } },
    },
  };
}

export class ChartSet {
  private readonly charts = new Map<string, Chart>();

  /** A sized box with a canvas; the chart is drawn on the next frame, when chart.js can measure it. */
  box(key: string, draw: (canvas: HTMLCanvasElement) => Chart, height = 220, label = key): HTMLElement {
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', label);
    const box = document.createElement('div');
    box.className = 'chart';
    box.dataset.chart = key;
    box.append(canvas);
    box.style.height = `${height}px`; // CSSOM, not a style attribute: the CSP forbids inline styles
    requestAnimationFrame(() => {
      this.charts.get(key)?.destroy();
      this.charts.set(key, draw(canvas));
    });
    return box;
  }

  get(key: string): Chart | undefined {
    return this.charts.get(key);
  }

  destroy(prefix = ''): void {
    for (const [k, c] of this.charts) {
      if (k.startsWith(prefix)) {
        c.destroy();
        this.charts.delete(k);
      }
    }
  }
}
