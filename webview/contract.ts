// The one message contract between the extension host and the webview panels. Both sides import
// it, so a message that one side sends and the other does not understand fails to compile.
import type { Profile } from '../src/core/profile/types';

export type { Profile };

export const PROFILE_VIEW_TYPE = 'mlWorkbench.profile';

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
  file: string;
  target?: string;
  profile?: Profile;
}
