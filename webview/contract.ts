// The one message contract between the extension host and the webview panels. Both sides import
// it, so a message that one side sends and the other does not understand fails to compile. The
// panels take every engine type they draw from here, never from src/core themselves, so what
// crosses the wire is named in one file; so are the ranking rules the panels share with the host.
import type { EpochLog } from '../src/core/ml/estimator';
import type { BoxStats, ColumnProfile, Histogram, Matrix, Profile, TopValue } from '../src/core/profile/types';
import type { Curve, Evaluation } from '../src/core/workflow/evaluation';
import type { ModelDetail, RunSummary, RunView } from '../src/core/workflow/runView';

export type { BoxStats, ColumnProfile, Curve, Evaluation, Histogram, Matrix, ModelDetail, Profile, TopValue };
export { LEADERBOARD_METRICS, lowerIsBetter, primaryMetric, TASKS } from '../src/core/ml/task';

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
}

/** Saved with vscode.setState so that the panel comes back after a reload without re-reading. */
export interface ProfileViewState {
  version?: number;
  file: string;
  target?: string;
  profile?: Profile;
}

// ---- run results and comparison panels ----
export type { RunSummary, RunView, EpochLog };

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
