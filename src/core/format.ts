// Numbers as the CLI and the panels show them: one owner for each format, so that the terminal
// and the panels agree.
/** 1536 → "1.5 KB": for memory and file sizes, in the CLI and the panels. */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/**
 * A share of 100 as "12.3%", never rounded to a bound it does not reach: 99.99% missing once
 * showed as "100.0%" and 0.001% as "0.0%". Those become ">99.9%" and "<0.1%".
 */
export function formatPercent(pct: number, digits = 1): string {
  const text = pct.toFixed(digits);
  const step = 10 ** -digits;
  if (pct > 0 && Number(text) === 0) return `<${step.toFixed(digits)}%`;
  if (pct < 100 && Number(text) === 100) return `>${(100 - step).toFixed(digits)}%`;
  return `${text}%`;
}

/** A value shown in a table or a message, cut to `max` characters with an ellipsis (a 200 MB field was printed whole). */
export function abbreviate(value: string, max = 60): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** A statistic as pandas prints it: no thousands separators (years stay 2008), about 6 significant digits. */
export function formatNumber(x: number | undefined | null, digits = 4): string {
  if (x === undefined || x === null || Number.isNaN(x)) return '';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  // Decimals down to 1e-6 (0.000462 beside 0.01, not 4.620e-4), exponents beyond.
  if (a !== 0 && (a < 1e-6 || a >= 1e9)) return x.toExponential(3);
  if (a < 0.01) return String(Number(x.toPrecision(3)));
  return Number(x.toPrecision(digits + 2)).toLocaleString('en-US', { maximumFractionDigits: digits, useGrouping: false });
}
