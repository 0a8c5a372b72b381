// Tiny DOM helpers: elements are built with textContent only (never innerHTML with data).
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: (Node | string | undefined | null | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== undefined && c !== null && c !== false) el.append(c);
  return el;
}

/** A statistic as pandas prints it: no thousands separators (years stay 2008), about 6 significant digits. */
export function fmtNumber(x: number | undefined | null, digits = 4): string {
  if (x === undefined || x === null || Number.isNaN(x)) return '';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  // Decimals down to 1e-6 (0.000462 beside 0.01, not 4.620e-4), exponents beyond.
  if (a !== 0 && (a < 1e-6 || a >= 1e9)) return x.toExponential(3);
  if (a < 0.01) return String(Number(x.toPrecision(3)));
  return Number(x.toPrecision(digits + 2)).toLocaleString('en-US', { maximumFractionDigits: digits, useGrouping: false });
}

export { abbreviate, formatBytes as fmtBytes, formatPercent } from '../../src/core/format';
