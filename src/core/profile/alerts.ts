// Data-quality alerts in the spirit of ydata-profiling; thresholds live in ALERT_THRESHOLDS.
import { ALERT_THRESHOLDS as T, Alert, Profile } from './types';
import { abbreviate, formatPercent } from '../format';

const pct = (x: number) => formatPercent(x);

export function alertsFor(p: Profile): Alert[] {
  const alerts: Alert[] = [];
  if (p.duplicateRows > 0) {
    alerts.push({ kind: 'duplicate-rows', columns: [], message: `${p.duplicateRows} duplicate rows (${pct((100 * p.duplicateRows) / p.rows)})` });
  }
  for (const c of p.columns) {
    if (c.count === 0) {
      alerts.push({ kind: 'all-missing', columns: [c.name], message: `${c.name} is missing on every row` });
      continue;
    }
    if (c.distinct === 1) alerts.push({ kind: 'constant', columns: [c.name], message: `${c.name} has a single value` });
    if (c.missingPct >= T.manyMissingPct) {
      alerts.push({ kind: 'many-missing', columns: [c.name], message: `${c.name} has ${c.missing} missing values (${pct(c.missingPct)})` });
    }
    if (c.idLike || (c.distinct === c.count && c.count > 1 && c.type !== 'numeric' && c.type !== 'datetime')) {
      const why = c.idLike ? ': an identifier, not a feature' : c.type === 'text' ? ': free text, not a category' : '';
      alerts.push({ kind: 'unique', columns: [c.name], message: `${c.name} has a distinct value on every row${why}`, suggestion: { text: `drop ${c.name} from the features`, drop: c.name } });
    } else if ((c.type === 'categorical' || c.type === 'text') && c.distinct > T.highCardinality) {
      alerts.push({
        kind: 'high-cardinality', columns: [c.name], message: `${c.name} has ${c.distinct} distinct values`,
        suggestion: { text: `target-encode ${c.name} (one column instead of ${c.distinct})`, step: { type: 'targetEncode', columns: [c.name] } },
      });
    }
    if (c.type === 'datetime' && c.count > 0) {
      alerts.push({
        kind: 'datetime', columns: [c.name], message: `${c.name} holds dates or times`,
        suggestion: { text: `time features of ${c.name} (month, day of week, hour, and their cycles)`, step: { type: 'timeFeatures', column: c.name } },
      });
    }
    if (c.type === 'numeric') {
      if (c.skewness !== undefined && Math.abs(c.skewness) > T.skewness) {
        // log1p tames a long right tail of values above −1 (counts, prices, durations).
        const log = c.skewness > 0 && (c.min ?? -Infinity) > -1;
        alerts.push({
          kind: 'skewed', columns: [c.name], message: `${c.name} is highly skewed (γ1 = ${c.skewness.toFixed(1)})`,
          ...(log ? { suggestion: { text: `log1p(${c.name}) as a feature`, step: { type: 'formula', name: `${c.name}_log1p`, expression: `log1p(\`${c.name}\`)` } } } : {}),
        });
      }
      if ((c.zerosPct ?? 0) >= T.manyZerosPct && c.distinct > 1) {
        alerts.push({ kind: 'many-zeros', columns: [c.name], message: `${c.name} has ${c.zeros} zeros (${pct(c.zerosPct!)})` });
      }
      if ((c.infinite ?? 0) > 0) {
        alerts.push({ kind: 'infinite-values', columns: [c.name], message: `${c.name} has ${c.infinite} infinite values` });
      }
    }
  }
  const { columns, values, strongest } = p.correlations;
  const highlyCorrelated = (a: string, b: string, r: number) =>
    alerts.push({ kind: 'high-correlation', columns: [a, b], message: `${a} and ${b} are highly correlated (r = ${r.toFixed(3)})` });
  for (let a = 0; a < columns.length; a++) {
    for (let b = a + 1; b < columns.length; b++) {
      const r = values[a][b];
      if (r !== null && Math.abs(r) > T.highCorrelation) highlyCorrelated(columns[a], columns[b], r);
    }
  }
  // Pairs beyond the matrix's columns, from the strongest of all.
  const inMatrix = new Set(columns);
  for (const { columns: [a, b], r } of strongest) {
    if (Math.abs(r) > T.highCorrelation && !(inMatrix.has(a) && inMatrix.has(b))) highlyCorrelated(a, b, r);
  }
  const cls = p.target?.classes ?? [];
  if (p.target?.task === 'classification' && cls.length > 1 && cls[cls.length - 1].count / cls[0].count < T.minorityRatio) {
    const minority = cls[cls.length - 1];
    alerts.push({
      kind: 'imbalanced-target', columns: [p.target.column],
      message: `target ${p.target.column} is imbalanced: "${abbreviate(minority.value)}" has ${minority.count} rows against ${cls[0].count} of "${abbreviate(cls[0].value)}" (1:${(cls[0].count / minority.count).toFixed(1)})`,
    });
  }
  return alerts;
}
