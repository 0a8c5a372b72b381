// The one message contract between the extension host and the webview panels. Both sides import
// it, so a message that one side sends and the other does not understand fails to compile. The
// wire types are declared here, not borrowed from src/core: what crosses to a panel (and what a
// panel saves with setState) is named in this file, and the engine may change its own types
// without changing the wire. The host posts engine values under these types, so the compiler
// checks at every send that the engine still produces what the panels read (as vscode-dvc's
// plots/webview/contract.ts does). Only vocabularies (task, column kinds, run states) and the
// ranking rules the panels share with the host are taken from their one owner in src/core.
import type { ColumnKind } from '../src/core/frame';
import type { AlertKind } from '../src/core/profile/types';
import type { Task } from '../src/core/ml/task';
import type { RunStatus } from '../src/core/tracking/mlflowStore';

export { LEADERBOARD_METRICS, lowerIsBetter, primaryMetric, TASKS } from '../src/core/ml/task';
export type { AlertKind, ColumnKind, RunStatus, Task };

// ---- the profile, as the profile panel draws it ----

/** Equal-width bins: edges has one more entry than counts. */
export interface Histogram {
  edges: number[];
  counts: number[];
}

export interface TopValue {
  value: string;
  count: number;
}

export interface ColumnProfile {
  name: string;
  type: ColumnKind;
  dtype: string;
  count: number;
  missing: number;
  missingPct: number;
  distinct: number;
  /** Set when `distinct` is a HyperLogLog estimate: its relative standard error. */
  distinctError?: number;
  idLike: boolean;
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
  /** How the quartiles were found; a sketch's are estimates within rankError. */
  quantiles?: { method: 'exact' | 'sketch'; rankError?: number; sampleSize?: number };
  histogram?: Histogram;
  top?: TopValue[];
  /** Set when `top` comes from a Misra-Gries summary: each count may be low by at most this many rows. */
  topMaxUndercount?: number;
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

/** Symmetric; null where undefined. */
export interface Matrix {
  columns: string[];
  values: (number | null)[][];
  /** Set when computed over a uniform sample of this many rows. */
  sampleRows?: number;
}

export interface TargetProfile {
  column: string;
  task: Task;
  classes?: TopValue[];
  imbalance?: number;
  histogram?: Histogram;
  boxplots?: { feature: string; boxes: BoxStats[] }[];
  /** Per category of a feature, its rows of each class (classes in `classes` order). */
  rates?: { feature: string; categories: { value: string; count: number; counts: number[] }[] }[];
  /** Set when boxplots and rates come from a uniform sample of this many rows; classes stay exact. */
  sampleRows?: number;
}

export interface Profile {
  file: string;
  rows: number;
  columnsCount: number;
  memoryBytes: number;
  duplicateRows: number;
  /** Set when duplicateRows is an estimate: the relative standard error of the distinct rows' count. */
  duplicateRowsError?: number;
  missingCells: number;
  missingCellsPct: number;
  typeCounts: Record<ColumnKind, number>;
  columns: ColumnProfile[];
  target?: TargetProfile;
  correlations: Matrix & { numericColumns: number; strongest: { columns: [string, string]; r: number }[] };
  associations: Matrix;
  alerts: { kind: AlertKind; columns: string[]; message: string; suggestion?: { text: string; step?: Record<string, unknown>; drop?: string } }[];
  warnings: string[];
  timings: { loadMs: number; profileMs: number };
  /** Set when the file was read in chunks within a memory budget (exact while the state fits, sketches past it). */
  bounded?: { budgetMB: number; chunks: number; passes: number };
}

// ---- runs, as the results and compare panels draw them ----

/** One epoch of an iterative fit, as Keras reports it. */
export interface EpochLog {
  epoch: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valMetric?: number;
}

export interface Curve {
  label: string;
  x: number[];
  y: number[];
  auc: number;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export type Evaluation =
  | {
      task: 'classification';
      labels: string[];
      metrics: Record<string, number>;
      report: { classes: (ClassScores & { label: string })[]; accuracy: number; macro: ClassScores; weighted: ClassScores };
      confusion: number[][];
      roc: Curve[];
      pr: Curve[];
    }
  | { task: 'regression'; metrics: Record<string, number>; actual: number[]; predicted: number[] };

/** A run as panels list it: plain data, no paths. */
export interface RunSummary {
  runId: string;
  experimentId: string;
  runName: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  params: Record<string, string>;
  metrics: Record<string, number>;
  parentRunId?: string;
  kind?: string;
  model?: string;
  error?: string;
  hasBundle: boolean;
}

export interface ModelDetail {
  run: RunSummary;
  evaluation?: Evaluation;
  importances?: { feature: string; importance: number }[];
  curve?: EpochLog[];
}

export interface RunView {
  kind: 'session' | 'model' | 'tuning' | 'evaluation' | 'other';
  run: RunSummary;
  task?: Task;
  primaryMetric: string;
  models: ModelDetail[];
  tuning?: {
    scoring: string;
    cv: number;
    bestIndex: number;
    bestParams: Record<string, unknown>;
    rows: { params: Record<string, unknown>; splitScores: number[]; meanTestScore: number; stdTestScore: number; rankTestScore: number; meanFitSeconds: number }[];
  };
  warnings: string[];
}

export const PROFILE_VIEW_TYPE = 'mlWorkbench.profile';

/**
 * The version of what panels save with vscode.setState (and the host reads back after a reload).
 * A page keeps a saved content only of this version: a profile saved before its correlations were
 * bounded has no strongest pairs to draw. Raise it whenever a saved shape changes.
 */
export const VIEW_STATE_VERSION = 2;

/** Whether a saved state is of this version (else a page keeps only what names it: file, run id). */
export const currentState = (s: { version?: number } | undefined): boolean => s?.version === VIEW_STATE_VERSION;

/** Host → profile panel. */
export type ProfileHostMessage =
  | { type: 'loading'; file: string; target?: string }
  | { type: 'profile'; file: string; target?: string; profile: Profile }
  | { type: 'error'; file: string; message: string };

/** Profile panel → host. */
export type ProfileViewMessage =
  | { type: 'ready' }
  | { type: 'setTarget'; column: string | null }
  | { type: 'refresh' }
  /** Opens the Engineer Features panel on this file with the alerts' suggested steps. */
  | { type: 'engineerFeatures'; steps: Record<string, unknown>[] }
  | { type: 'rendered'; snapshot: RenderedSnapshot };

/** What the panel shows, read back from its DOM after drawing (used by tests and for logging). */
export interface RenderedSnapshot {
  file: string;
  target?: string;
  overview: Record<string, string>;
  /** Column table rows on the current page: column name → header label → cell text. */
  columns: Record<string, Record<string, string>>;
  alerts: string[];
  charts: string[];
  /** The column table's pager, e.g. "page 1 of 5" ("" when one page holds every column). */
  pager?: string;
  /** The error shown instead of a profile. */
  error?: string;
  /** Notes on how figures were found: a chunked read within the memory budget, a sampled target section. */
  notes?: string[];
}

/** Saved with vscode.setState so that the panel comes back after a reload without re-reading. */
export interface ProfileViewState {
  version?: number;
  file: string;
  target?: string;
  profile?: Profile;
}

// ---- the Engineer Features panel ----

export const FEATURES_VIEW_TYPE = 'mlWorkbench.features';

/** What the steps make on a file: the first rows with the new columns, and each new column's small profile. */
export interface FeaturesPreview {
  file: string;
  inputs: { name: string; kind: ColumnKind }[];
  columns: string[];
  added: string[];
  rows: string[][];
  totalRows: number;
  stats: { name: string; kind: 'numeric' | 'categorical'; count: number; missing: number; mean?: number; std?: number; min?: number; max?: number; distinct?: number }[];
}

/** The panel's state: the file, its columns, the steps being built and the target (for target encoding). */
export interface FeaturesViewState {
  version?: number;
  file: string;
  steps: Record<string, unknown>[];
  target?: string;
}

/** A step's form: its options, from the run-spec schema (src/core/workflow/stepForms.ts). */
export interface StepFormView {
  type: string;
  description: string;
  options: {
    name: string;
    kind: 'column' | 'columns' | 'optionalColumn' | 'integer' | 'number' | 'boolean' | 'choice' | 'choices' | 'numbers' | 'strings' | 'text' | 'autoOrNumber';
    required: boolean;
    values?: string[];
    default?: unknown;
    description?: string;
  }[];
}

/** Host → Engineer Features panel. */
export type FeaturesHostMessage =
  | { type: 'init'; file: string; steps: Record<string, unknown>[]; target?: string; forms: StepFormView[] }
  | { type: 'previewing' }
  | { type: 'preview'; preview: FeaturesPreview }
  | { type: 'error'; message: string }
  | { type: 'saved'; spec: string };

/** Engineer Features panel → host. */
export type FeaturesViewMessage =
  | { type: 'ready' }
  | { type: 'preview'; steps: Record<string, unknown>[]; target?: string }
  | { type: 'save'; steps: Record<string, unknown>[]; target?: string; train: boolean }
  | { type: 'rendered'; snapshot: FeaturesSnapshot };

export interface FeaturesSnapshot {
  file: string;
  steps: number;
  /** The preview table's header, the new columns marked with a trailing "*". */
  header: string[];
  rows: number;
  error?: string;
}

// ---- the drift panel ----

export const DRIFT_VIEW_TYPE = 'mlWorkbench.drift';

/** A column's row of the drift table. */
export interface DriftColumnView {
  name: string;
  kind: 'numeric' | 'categorical';
  test: string;
  statistic: number;
  pValue: number | null;
  distance: number | null;
  threshold: number;
  drifted: boolean;
  effectSize: number;
  referenceRows: number;
  currentRows: number;
  warning?: string;
}

/** A column's reference and current distributions: counts on shared bins, or per category. */
export type DriftDistributionView =
  | { kind: 'bins'; edges: number[]; reference: number[]; current: number[] }
  | { kind: 'categories'; categories: string[]; reference: number[]; current: number[] };

export interface DriftReportView {
  reference: string;
  current: string;
  datasetDrift: boolean;
  driftedShare: number;
  columns: DriftColumnView[];
  skipped: { name: string; reason: string }[];
  distributions: Record<string, DriftDistributionView>;
}

/** Host → drift panel. */
export type DriftHostMessage = { type: 'report'; report: DriftReportView; runId?: string };

/** Drift panel → host. */
export type DriftViewMessage =
  | { type: 'ready' }
  | { type: 'openRun'; runId: string }
  | { type: 'rendered'; snapshot: DriftSnapshot };

/** What the drift panel shows, read back from its DOM. */
export interface DriftSnapshot {
  verdict: string;
  /** Table rows in their shown order: column → header → cell text. */
  rows: { name: string; cells: Record<string, string> }[];
  sortedBy: string;
  /** The column whose distributions are drawn, and the chart's kind. */
  selected?: string;
  chart?: 'bins' | 'categories';
}

// ---- the monitoring panel (a serving log over time) ----

export const MONITOR_VIEW_TYPE = 'mlWorkbench.monitor';

/** One window of the log. */
export interface MonitorWindowView {
  start: string;
  end: string;
  requests: number;
  rows: number;
  latencyMs: { p50: number; p95: number; p99: number };
  predictions: { kind: 'classes'; counts: Record<string, number> } | { kind: 'values'; mean: number; p5: number; p50: number; p95: number };
  drift: { driftedShare: number; drifted: string[]; columns: number } | null;
  labelled: number;
  accuracy?: { value: number; ci95: [number, number] };
  rmse?: { value: number; ci95: [number, number] };
  variants?: Record<string, number>;
}

export interface MonitorReportView {
  log: string;
  windowMs: number;
  model?: { runId?: string; version?: string };
  lines: number;
  skippedLines: number;
  skipped: { line: number; reason: string }[];
  reference?: string;
  labels?: { file: string; column: string; joined: number; of: number };
  windows: MonitorWindowView[];
  rules: { metric: string; below?: number; above?: number; windows?: number }[];
  breaches: { rule: string; metric: string; windows: string[]; value: number }[];
}

/** Host → monitoring panel. */
export type MonitorHostMessage =
  | { type: 'report'; report: MonitorReportView }
  /** Show this window (a breach's link). */
  | { type: 'focus'; window: string };

/** Monitoring panel → host. */
export type MonitorViewMessage =
  | { type: 'ready' }
  | { type: 'rendered'; snapshot: MonitorSnapshot };

/** What the monitoring panel shows, read back from its DOM. */
export interface MonitorSnapshot {
  windows: number;
  charts: string[];
  /** The breaches listed, as their text. */
  breaches: string[];
  /** Windows marked as breaking a rule. */
  marked: string[];
  focused?: string;
  /** Table rows: window start → column → cell text. */
  rows: Record<string, Record<string, string>>;
}

// ---- the A/B panel ----

export const AB_VIEW_TYPE = 'mlWorkbench.ab';

export interface AbVariantView {
  name: string;
  runId?: string;
  n: number;
  correct: number | null;
  metric: string;
  value: number;
  ci95: [number, number];
  rows: number;
}

export interface AbReportView {
  log: string;
  variants: AbVariantView[];
  control: string;
  treatment: string;
  difference: number;
  differenceCi95: [number, number];
  test: 'proportions_ztest' | 'welch_ttest';
  statistic: number;
  pValue: number;
  requiredN: number | null;
  plannedN: number | null;
  minimumEffect: number;
  verdict: 'promote' | 'rollback' | 'continue';
  reason: string;
  warnings: string[];
  labels: { file: string; column: string; joined: number; of: number };
}

/** Host → A/B panel. */
export type AbHostMessage = { type: 'report'; report: AbReportView };

/** A/B panel → host. */
export type AbViewMessage =
  | { type: 'ready' }
  | { type: 'openRun'; runId: string }
  | { type: 'rendered'; snapshot: AbSnapshot };

/** What the A/B panel shows, read back from its DOM. */
export interface AbSnapshot {
  verdict: string;
  /** Variant rows: name → column → cell text. */
  variants: Record<string, Record<string, string>>;
  /** The test's figures as shown: label → text. */
  figures: Record<string, string>;
  warnings: string[];
  charts: string[];
}

// ---- the Try it panel (a served model) ----

export const TRYIT_VIEW_TYPE = 'mlWorkbench.tryIt';

/** A field of a served model's request, as its /metadata gives it. */
export interface TryItField {
  name: string;
  kind: 'numeric' | 'boolean' | 'categorical' | 'datetime';
  categories?: string[];
  history?: boolean;
}

/** Host → Try it panel. */
export type TryItHostMessage =
  | { type: 'init'; url: string; model: { name: string; version: string; runId?: string }; fields: TryItField[]; example: Record<string, unknown>; classes?: string[] }
  | { type: 'answer'; status: number; body: unknown; ms: number }
  | { type: 'error'; message: string };

/** Try it panel → host. */
export type TryItViewMessage =
  | { type: 'ready' }
  | { type: 'predict'; row: Record<string, unknown> }
  | { type: 'rendered'; snapshot: TryItSnapshot };

/** What the Try it panel shows, read back from its DOM. */
export interface TryItSnapshot {
  fields: number;
  status?: number;
  prediction?: string;
  probabilities: number;
  curl: string;
}

// ---- run results and comparison panels ----

export const RUN_VIEW_TYPE = 'mlWorkbench.run';
export const COMPARE_VIEW_TYPE = 'mlWorkbench.compare';

/** Host → run results panel. */
export type RunHostMessage =
  | { type: 'run'; view: RunView; live: boolean }
  /** Before the session has a run: what it is doing (reading and splitting the data). */
  | { type: 'preparing'; title: string; stage: string }
  | { type: 'epoch'; runId: string; log: EpochLog }
  | { type: 'error'; message: string };

/** Run results panel → host. */
export type RunViewMessage =
  | { type: 'ready' }
  | { type: 'openRun'; runId: string }
  | { type: 'predict'; runId: string }
  | { type: 'scaffold'; runId: string }
  | { type: 'serve'; runId: string }
  | { type: 'exportOnnx'; runId: string }
  | { type: 'revealArtifacts'; runId: string }
  | { type: 'compare'; runIds: string[] }
  | { type: 'rendered'; snapshot: RunSnapshot };

/** What the run panel shows, read back from its DOM (tests compare it with the store). */
export interface RunSnapshot {
  runId: string;
  title: string;
  /** Leaderboard rows in order: model run name → column header → cell text. */
  leaderboard: { name: string; cells: Record<string, string> }[];
  sections: string[];
  charts: string[];
  error?: string;
}

export interface RunViewState {
  version?: number;
  runId: string;
}

/** Host → compare / history panel. */
export type CompareHostMessage =
  | { type: 'compare'; runs: RunSummary[] }
  | { type: 'history'; experiment: { id: string; name: string }; primaryMetric: string; runs: RunSummary[] }
  | { type: 'error'; message: string };

/** Compare / history panel → host. */
export type CompareViewMessage =
  | { type: 'ready' }
  | { type: 'openRun'; runId: string }
  | { type: 'rendered'; snapshot: CompareSnapshot };

export interface CompareSnapshot {
  mode: 'compare' | 'history';
  runs: string[];
  /** Table rows shown: key → cells per run. */
  rows: Record<string, string[]>;
  charts: string[];
}

export type CompareViewState = { mode: 'compare'; runIds: string[] } | { mode: 'history'; experimentId: string };
