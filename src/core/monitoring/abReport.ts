// The A/B report of a serving log whose lines name their variant (mlw serve --model A=… --model
// B=…): labels joined by request id or a key field, per variant the number of labelled rows and
// the metric with a 95% interval, the difference, its test (a two-proportion z-test for accuracy,
// as statsmodels' proportions_ztest; Welch's t-test for a per-row metric, as scipy's ttest_ind with
// equal_var=False), the sample size per variant that would detect the observed difference at power
// 0.8, and the course's rule as the verdict: promote B when it beats A by the minimum effect (2
// accuracy points, or 2% of A's error) and the difference is significant, roll back when B is
// significantly worse, else keep collecting. Reading the test before the planned sample size is
// warned against: that is how A/B tests find differences that are not there.
import * as fs from 'node:fs';
import type { CsvOptions } from '../csv/options';
import { Labels, labelOf, readPredictionLog, SkippedLines } from './log';
import { readLabels } from './monitorFiles';
import { Moments, proportionsZ, welchT, wilson, Z95 as Z975 } from './tests';

export const AB_METRICS = ['accuracy', 'logloss', 'brier', 'mae', 'mse'] as const;
export type AbMetric = (typeof AB_METRICS)[number];
const HIGHER_IS_BETTER: Record<AbMetric, boolean> = { accuracy: true, logloss: false, brier: false, mae: false, mse: false };

const Z80 = 0.8416212335729143;
const ALPHA = 0.05;

export interface AbVariant {
  name: string;
  runId?: string;
  /** Labelled rows. */
  n: number;
  /** Rows predicted right (accuracy), or null for a per-row metric. */
  correct: number | null;
  metric: AbMetric;
  value: number;
  ci95: [number, number];
  /** All rows this variant answered, labelled or not. */
  rows: number;
}

export interface AbReport {
  log: string;
  variants: AbVariant[];
  control: string;
  treatment: string;
  /** The treatment's value minus the control's, with a 95% interval. */
  difference: number;
  differenceCi95: [number, number];
  test: 'proportions_ztest' | 'welch_ttest';
  statistic: number;
  pValue: number;
  /** Rows per variant needed to detect the observed difference at α 0.05 and power 0.8. */
  requiredN: number | null;
  /** Rows per variant planned before the test is read (given, or what detects the minimum effect). */
  plannedN: number | null;
  minimumEffect: number;
  verdict: 'promote' | 'rollback' | 'continue';
  reason: string;
  warnings: string[];
  labels: { file: string; column: string; joined: number; of: number };
}

class Running {
  n = 0;
  mean = 0;
  m2 = 0;
  correct = 0;
  rows = 0;
  runId?: string;
  /** Welford's update. */
  add(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }
  moments(): Moments {
    return { n: this.n, mean: this.mean, variance: this.n > 1 ? this.m2 / (this.n - 1) : NaN };
  }
}

/**
 * Rows per group for a two-sided test at α 0.05 and power 0.8 of a standardised effect between two
 * equal groups: 2 ((z₀.₉₇₅ + z₀.₈) / effect)², the normal approximation statsmodels' NormalIndPower
 * solves for (it also counts the far tail, which moves the answer by less than a row).
 */
const nFor = (effect: number) => (effect > 0 && Number.isFinite(effect) ? Math.ceil(2 * ((Z975 + Z80) / effect) ** 2) : null);
/** Cohen's h between two proportions. */
const cohenH = (p1: number, p2: number) => Math.abs(2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2)));

export interface AbOptions {
  labels: Labels;
  /** The input field whose values key the labels, when not the request id. */
  idField?: string;
  metric?: AbMetric;
  control?: string;
  treatment?: string;
  /** Rows per variant planned before reading the test; by default what detects the minimum effect. */
  plannedN?: number;
}

export async function abReport(file: string, o: AbOptions): Promise<AbReport> {
  const byVariant = new Map<string, Running>();
  let metric = o.metric;
  let joined = 0, of = 0, unnamed = 0;
  const skipped = new SkippedLines();
  for await (const { line, entry: l } of readPredictionLog(file, skipped)) {
    of++;
    if (l.variant === undefined) {
      unnamed++;
      continue;
    }
    let v = byVariant.get(l.variant);
    if (!v) byVariant.set(l.variant, (v = new Running()));
    v.rows++;
    v.runId ??= l.model?.runId;
    const label = labelOf(o.labels, o.idField, l);
    if (label === undefined) continue;
    joined++;
    const p = l.outputs.prediction;
    metric ??= typeof p === 'number' ? 'mae' : 'accuracy';
    if (typeof p === 'number' !== (metric === 'mae' || metric === 'mse')) throw new Error(`--metric ${metric} is for ${metric === 'mae' || metric === 'mse' ? 'regression' : 'classification'}; this log's predictions are ${typeof p === 'number' ? 'values' : 'classes'}`);
    switch (metric) {
      case 'accuracy': {
        const right = String(p) === String(label);
        v.correct += right ? 1 : 0;
        v.add(right ? 1 : 0);
        break;
      }
      case 'logloss':
      case 'brier': {
        const probs = l.outputs.probabilities;
        if (!probs) throw new Error(`${file}: line ${line} has no class probabilities, which ${metric} needs`);
        const pt = probs[String(label)] ?? 0;
        if (metric === 'logloss') v.add(-Math.log(Math.min(Math.max(pt, 1e-15), 1 - 1e-15)));
        else v.add(Object.entries(probs).reduce((s, [k, q]) => s + (q - (k === String(label) ? 1 : 0)) ** 2, 0));
        break;
      }
      case 'mae':
        v.add(Math.abs(Number(p) - Number(label)));
        break;
      case 'mse':
        v.add((Number(p) - Number(label)) ** 2);
        break;
    }
  }
  const names = [...byVariant.keys()].sort();
  if (names.length < 2) throw new Error(`${file}: ${names.length ? `only variant ${names[0]} answered` : 'no line names a variant'}; an A/B log comes from mlw serve --model A=<bundle> --model B=<bundle>${unnamed ? ` (${unnamed} lines without one)` : ''}`);
  const control = o.control ?? (names.includes('A') ? 'A' : names[0]);
  const others = names.filter((n) => n !== control);
  const treatment = o.treatment ?? (others.length === 1 ? others[0] : undefined);
  if (!byVariant.has(control)) throw new Error(`--control ${control} is not a variant of ${file} (${names.join(', ')})`);
  if (!treatment || !byVariant.has(treatment)) throw new Error(`name the treatment with --treatment: ${file} has variants ${names.join(', ')}`);
  const m = metric ?? 'accuracy';
  const a = byVariant.get(control)!, b = byVariant.get(treatment)!;
  if (a.n < 2 || b.n < 2) throw new Error(`too few labelled rows to compare (${control}: ${a.n}, ${treatment}: ${b.n}): ${joined} of ${of} predictions joined a label from ${o.labels.file}; are the ids the request ids?`);
  const variant = (name: string, r: Running): AbVariant => {
    const mo = r.moments();
    const ci: [number, number] = m === 'accuracy' ? wilson(r.correct, r.n) : [mo.mean - Z975 * Math.sqrt(mo.variance / r.n), mo.mean + Z975 * Math.sqrt(mo.variance / r.n)];
    return { name, ...(r.runId ? { runId: r.runId } : {}), n: r.n, correct: m === 'accuracy' ? r.correct : null, metric: m, value: mo.mean, ci95: ci, rows: r.rows };
  };
  const variants = names.map((n) => variant(n, byVariant.get(n)!));
  const va = a.moments(), vb = b.moments();
  const difference = vb.mean - va.mean;
  let statistic: number, pValue: number, requiredN: number | null, plannedDefault: number | null, minimumEffect: number;
  let seDiff: number;
  if (m === 'accuracy') {
    // statsmodels' proportions_ztest([B, A], [nB, nA]): pooled, two-sided.
    const z = proportionsZ(b.correct, b.n, a.correct, a.n);
    [statistic, pValue] = [z.statistic, z.pValue ?? 1];
    seDiff = Math.sqrt((va.mean * (1 - va.mean)) / a.n + (vb.mean * (1 - vb.mean)) / b.n);
    requiredN = nFor(cohenH(vb.mean, va.mean));
    minimumEffect = 0.02;
    plannedDefault = nFor(cohenH(Math.min(va.mean + minimumEffect, 1), va.mean));
  } else {
    const t = welchT(vb, va);
    [statistic, pValue] = [t.statistic, t.pValue ?? NaN];
    seDiff = Math.sqrt(va.variance / a.n + vb.variance / b.n);
    const pooledSd = Math.sqrt((va.variance + vb.variance) / 2);
    requiredN = nFor(Math.abs(difference) / pooledSd);
    minimumEffect = 0.02 * Math.abs(va.mean);
    plannedDefault = nFor(minimumEffect / pooledSd);
  }
  const plannedN = o.plannedN ?? plannedDefault;
  const better = HIGHER_IS_BETTER[m] ? difference : -difference;
  const significant = pValue < ALPHA;
  const unit = m === 'accuracy' ? `${(100 * minimumEffect).toFixed(0)} points` : `2% of ${control}'s ${m}`;
  let verdict: AbReport['verdict'], reason: string;
  if (significant && better >= minimumEffect) [verdict, reason] = ['promote', `${treatment} beats ${control} by at least ${unit} and the difference is significant (p = ${pValue.toPrecision(3)})`];
  else if (significant && better < 0) [verdict, reason] = ['rollback', `${treatment} is significantly worse than ${control} (p = ${pValue.toPrecision(3)})`];
  else [verdict, reason] = ['continue', significant ? `the difference is significant but under ${unit}` : `the difference is not significant yet (p = ${pValue.toPrecision(3)})`];
  const warnings: string[] = [];
  if (plannedN !== null && Math.min(a.n, b.n) < plannedN) warnings.push(`the planned sample size (${plannedN.toLocaleString('en-US')} labelled rows per variant, to detect ${unit} at power 0.8) is not reached (${control}: ${a.n.toLocaleString('en-US')}, ${treatment}: ${b.n.toLocaleString('en-US')}); reading the test before then, and stopping when it looks significant, finds differences that are not there`);
  if (unnamed) warnings.push(`${unnamed} lines name no variant and are left out`);
  if (skipped.count) warnings.push(`${skipped.count} lines are not prediction lines and are left out (${skipped.first.slice(0, 3).map((x) => `line ${x.line}: ${x.reason}`).join('; ')})`);
  return {
    log: file, variants, control, treatment, difference, differenceCi95: [difference - Z975 * seDiff, difference + Z975 * seDiff],
    test: m === 'accuracy' ? 'proportions_ztest' : 'welch_ttest', statistic, pValue, requiredN, plannedN, minimumEffect, verdict, reason, warnings,
    labels: { file: o.labels.file, column: o.labels.column, joined, of },
  };
}

/** The report from files: the log and the labels CSV (its key column, and the label column or the only other). */
export async function abReportFiles(log: string, labels: { file: string; id: string; column?: string }, o: Omit<AbOptions, 'labels' | 'idField'> & { csv?: CsvOptions } = {}): Promise<AbReport> {
  if (!fs.existsSync(log)) throw new Error(`${log}: no such log`);
  const l = await readLabels(labels.file, labels.id, labels.column, undefined, o.csv ?? {});
  return abReport(log, { ...o, labels: l, idField: labels.id });
}
