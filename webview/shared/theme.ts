// Chart colours from VS Code's theme variables, so charts follow light, dark and high contrast.
export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function chartColors() {
  return {
    text: cssVar('--vscode-foreground', '#cccccc'),
    grid: cssVar('--vscode-widget-border', cssVar('--vscode-panel-border', 'rgba(128,128,128,0.3)')),
    series: [
      cssVar('--vscode-charts-blue', '#3794ff'),
      cssVar('--vscode-charts-orange', '#d18616'),
      cssVar('--vscode-charts-green', '#89d185'),
      cssVar('--vscode-charts-purple', '#b180d7'),
      cssVar('--vscode-charts-red', '#f14c4c'),
      cssVar('--vscode-charts-yellow', '#cca700'),
    ],
    positive: cssVar('--vscode-charts-blue', '#3794ff'),
    negative: cssVar('--vscode-charts-red', '#f14c4c'),
  };
}

export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/**
 * Calls `redraw` when the theme changes: VS Code swaps the body's class (vscode-light, vscode-dark,
 * vscode-high-contrast…), and charts take their colours when drawn. Other class changes are ignored.
 */
export function onThemeChange(redraw: () => void): void {
  const kind = () => ['vscode-high-contrast-light', 'vscode-high-contrast', 'vscode-dark', 'vscode-light'].find((k) => document.body.classList.contains(k));
  let last = kind();
  new MutationObserver(() => {
    const now = kind();
    if (now === last) return;
    last = now;
    redraw();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
