// The profile as data: what the panel draws, what `mlw profile --json` prints.
import type { ColumnKind } from '../frame';
import type { Histogram } from './stats';
import type { Task } from '../ml/task';

export type { Histogram };

export interface TopValue {
  value: string;
  count: number;
}

export interface QuantileMethod {
  method: 'exact' | 'sketch';
  /** sketch only: bound on the rank error of each quantile, at 99% confidence. */
  rankError?: number;
  sampleSize?: number;
}

export interface ColumnProfile {
  name: string;
  type: ColumnKind;
  /** The dtype pandas would give the column: int64, float64, object, bool, datetime64[ns]. */
  dtype: string;
  count: number;
  missing: number;
  missingPct: number;
  distinct: number;
  /** Set when `distinct` is a HyperLogLog estimate (a profile in bounded memory): its relative standard error. */
  distinctError?: number;
  idLike: boolean;
  // numeric
  mean?: number;
  std?: number;
  min?: number;
  q25?: number;
  median?: number;
  q75?: number;
  max?: number;
  skewness?: number;
  zeros?: number;
  zerosPct?: number;
  infinite?: number;
  quantiles?: QuantileMethod;
  histogram?: Histogram;
  // categorical, text, boolean
  top?: TopValue[];
  /** Set when `top` comes from a Misra-Gries summary: each count may be low by at most this many rows. */
  topMaxUndercount?: number;
  // datetime (ISO 8601)
  minDate?: string;
  maxDate?: string;
}

export interface BoxStats {
  group: string;
  count: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  whiskerMin: number;
  whiskerMax: number;
  mean: number;
}

export interface TargetProfile {
  column: string;
  task: Task;
  /** classification: rows per class, most frequent first. */
  classes?: TopValue[];
  /** 1 - normalised entropy of the class counts: 0 balanced, towards 1 imbalanced. */
  imbalance?: number;
  histogram?: Histogram;
  /** classification: per numeric feature, one box per class (the 12 most frequent classes). */
  boxplots?: { feature: string; boxes: BoxStats[] }[];
  /**
   * classification: per categorical or boolean feature with at most 20 categories, the rows of
   * each class in each category (pandas' crosstab), categories by count: survival by sex and class.
   */
  rates?: CategoryRates[];
  /** Set when boxplots and rates come from a uniform sample of this many rows (a profile in bounded memory); classes stay exact. */
  sampleRows?: number;
}

export interface CategoryRates {
  feature: string;
  /** The classes in TargetProfile.classes' order; counts[i][c] is category i's rows of class c. */
  categories: { value: string; count: number; counts: number[] }[];
}

export type AlertKind =
  | 'constant'
  | 'high-cardinality'
  | 'high-correlation'
  | 'skewed'
  | 'imbalanced-target'
  | 'many-missing'
  | 'all-missing'
  | 'many-zeros'
  | 'unique'
  | 'duplicate-rows'
  | 'infinite-values'
  | 'datetime';

export interface Alert {
  kind: AlertKind;
  /** Column(s) concerned; none for dataset-wide alerts. */
  columns: string[];
  message: string;
  /** What to do about it: a feature step for a run spec's features, or a column to drop. */
  suggestion?: Suggestion;
}

export interface Suggestion {
  text: string;
  /** A feature step, as a run spec's `features` holds it. */
  step?: Record<string, unknown>;
  /** A column to leave out (a run spec's `drop`). */
  drop?: string;
}

export interface Matrix {
  columns: string[];
  /** Set when computed over a uniform sample of this many rows rather than all of them. */
  sampleRows?: number;
  /** Symmetric; null where undefined (a constant column, too few pairs). */
  values: (number | null)[][];
}

/**
 * Pearson correlations: the matrix of the first MAX_CORRELATION_COLUMNS numeric columns, and the
 * strongest pairs over all of them. The full matrix of 5,000 columns was 525 MB of JSON and 2.2 GB
 * of memory; no one reads a heatmap that size.
 */
export interface Correlations extends Matrix {
  /** Numeric columns correlated; above MAX_CORRELATION_COLUMNS the matrix holds the first of them. */
  numericColumns: number;
  /** The strongest pairs by |r| over all numeric columns, strongest first (at most MAX_STRONGEST_PAIRS). */
  strongest: { columns: [string, string]; r: number }[];
}

export const MAX_CORRELATION_COLUMNS = 100;
export const MAX_STRONGEST_PAIRS = 100;

export interface Profile {
  file: string;
  rows: number;
  columnsCount: number;
  memoryBytes: number;
  duplicateRows: number;
  /** Set when duplicateRows is an estimate (rows minus a HyperLogLog count of distinct rows): the relative standard error of that count. */
  duplicateRowsError?: number;
  missingCells: number;
  missingCellsPct: number;
  typeCounts: Record<ColumnKind, number>;
  columns: ColumnProfile[];
  target?: TargetProfile;
  /** Pearson over numeric columns (pandas df.corr(numeric_only=True)), bounded: see Correlations. */
  correlations: Correlations;
  /** Cramér's V between categorical columns with at most 100 categories. */
  associations: Matrix;
  alerts: Alert[];
  /** What the reader changed or skipped. */
  warnings: string[];
  timings: { loadMs: number; profileMs: number };
  /**
   * Set when the file was profiled in chunks (profile/bounded.ts) because its columns would not fit
   * the memory budget: exact figures while their state fits, sketches past it (each says so).
   */
  bounded?: BoundedInfo;
}

export interface BoundedInfo {
  budgetMB: number;
  chunks: number;
  /** 2 when histograms needed a second read (the values were too many to keep). */
  passes: number;
}

export const ALERT_THRESHOLDS = {
  highCardinality: 50,
  highCorrelation: 0.9,
  skewness: 20,
  /** Minority class rows / majority class rows below this: an imbalanced target (1:4 or worse). */
  minorityRatio: 0.25,
  manyMissingPct: 20,
  manyZerosPct: 10,
} as const;
