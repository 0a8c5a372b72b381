import * as vscode from 'vscode';
import type { ProfileCsvOptions } from '../core/jobs/profileCsv';
import type { Delimiter } from '../core/csv/options';

/** The mlWorkbench.* settings that shape reading and profiling, for the file's folder. */
export function profileOptions(uri: vscode.Uri): Omit<ProfileCsvOptions, 'target'> {
  const cfg = vscode.workspace.getConfiguration('mlWorkbench', uri);
  return {
    delimiter: cfg.get<Delimiter | 'auto'>('csv.delimiter', 'auto'),
    missingValues: cfg.get<string[]>('csv.missingValues'),
    raggedRows: cfg.get<'error' | 'skip'>('csv.raggedRows', 'error'),
    exactQuantileLimit: cfg.get<number>('profile.exactQuantileLimit'),
    topValues: cfg.get<number>('profile.topValues'),
    memoryBudgetMB: cfg.get<number>('profile.memoryBudgetMB'),
  };
}

/** The reading settings alone, as a job that loads a CSV takes them. */
export function csvOptions(uri: vscode.Uri) {
  const o = profileOptions(uri);
  return { delimiter: o.delimiter, missingValues: o.missingValues, raggedRows: o.raggedRows };
}
