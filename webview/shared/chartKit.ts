// What every panel's charts share: chart.js with the controllers we use registered once, axis
// options in theme colours, and a set of live charts keyed by name (drawn once the canvas is in
// the page, destroyed by key prefix when their section is redrawn).
import { Chart, registerables } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import { chartColors, withAlpha } from './theme';

Chart.register(...registerables, MatrixController, MatrixElement);

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
