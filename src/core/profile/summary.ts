// The profile as readable text, for the terminal.
import { abbreviate, formatBytes, formatPercent } from '../format';
import type { ColumnProfile, Profile } from './types';

function fmt(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e9) ? x.toExponential(4) : x.toFixed(4).replace(/\.?0+$/, '');
}


function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

export function summarize(p: Profile): string {
  const out: string[] = [];
  const types = Object.entries(p.typeCounts).filter(([, n]) => n > 0).map(([t, n]) => `${n} ${t}`).join(', ');
  out.push(`${p.file}`);
  out.push(`${p.rows} rows × ${p.columnsCount} columns (${types}); ${formatBytes(p.memoryBytes)} in memory`);
  out.push(`missing cells: ${p.missingCells} (${formatPercent(p.missingCellsPct, 2)}); duplicate rows: ${p.duplicateRowsError === undefined ? '' : '≈ '}${p.duplicateRows}`);
  if (p.bounded) out.push(`read in ${p.bounded.chunks} chunks${p.bounded.passes > 1 ? ` (${p.bounded.passes} passes)` : ''}: its columns would not fit the ${p.bounded.budgetMB} MB memory budget; figures marked ≈ are estimates (notes below)`);
  for (const w of p.warnings) out.push(`warning: ${w}`);
  const numeric = p.columns.filter((c) => c.type === 'numeric');
  if (numeric.length) {
    out.push('', 'numeric columns');
    out.push(table([
      ['column', 'count', 'missing', 'mean', 'std', 'min', '25%', '50%', '75%', 'max', 'skew'],
      ...numeric.map((c) => [c.name, String(c.count), String(c.missing), fmt(c.mean), fmt(c.std), fmt(c.min), ...[c.q25, c.median, c.q75].map((q) => `${c.quantiles?.method === 'sketch' ? '≈ ' : ''}${fmt(q)}`), fmt(c.max), fmt(c.skewness)]),
    ]));
  }
  const other = p.columns.filter((c) => c.type !== 'numeric');
  if (other.length) {
    out.push('', 'other columns');
    out.push(table([
      ['column', 'type', 'count', 'missing', 'distinct', 'top (count) / range'],
      ...other.map((c: ColumnProfile) => [c.name, c.type, String(c.count), String(c.missing), `${c.distinctError === undefined ? '' : '≈ '}${c.distinct}`,
        c.type === 'datetime' ? `${c.minDate ?? ''} … ${c.maxDate ?? ''}` : (c.top ?? []).slice(0, 3).map((t) => `${abbreviate(t.value, 40)} (${t.count})`).join(', ')]),
    ]));
  }
  if (p.target) {
    out.push('', `target ${p.target.column}: ${p.target.task}`);
    if (p.target.classes) out.push('  ' + p.target.classes.slice(0, 10).map((c) => `${abbreviate(c.value, 40)}: ${c.count}`).join(', '));
  }
  const strongest = p.correlations.strongest.slice(0, 10);
  if (p.correlations.numericColumns > p.correlations.columns.length && strongest.length) {
    out.push('', `strongest correlations (of ${p.correlations.numericColumns} numeric columns)`);
    for (const s of strongest) out.push(`  ${s.columns[0]} and ${s.columns[1]}: r = ${s.r.toFixed(3)}`);
  }
  if (p.alerts.length) {
    out.push('', 'alerts');
    for (const a of p.alerts) out.push(`  [${a.kind}] ${a.message}${a.suggestion ? `; suggested: ${a.suggestion.text}` : ''}`);
  }
  const sketched = p.columns.filter((c) => c.quantiles?.method === 'sketch');
  for (const c of sketched) out.push(`note: quantiles of ${c.name} come from a ${c.quantiles!.sampleSize}-value sample; rank error ≤ ${(c.quantiles!.rankError! * 100).toFixed(2)}% (99%)`);
  for (const c of p.columns.filter((x) => x.distinctError !== undefined)) out.push(`note: distinct values of ${c.name} are a HyperLogLog estimate, ±${(100 * c.distinctError!).toFixed(2)}% standard error`);
  for (const c of p.columns.filter((x) => x.topMaxUndercount !== undefined)) out.push(`note: top values of ${c.name} are a Misra-Gries summary: each count may be low by up to ${c.topMaxUndercount} rows`);
  if (p.duplicateRowsError !== undefined) out.push(`note: duplicate rows are the rows less a HyperLogLog count of distinct rows, ±${(100 * p.duplicateRowsError).toFixed(2)}% standard error of that count`);
  if (p.target?.sampleRows !== undefined) out.push(`note: the target's box plots and rates come from a uniform sample of ${p.target.sampleRows} rows; its class counts are exact`);
  if (p.associations.sampleRows !== undefined) out.push(`note: Cramér's V comes from a uniform sample of ${p.associations.sampleRows} rows`);
  return out.join('\n');
}
