// File helpers for the experiment store: reading what may be missing, listing folders, and the
// number formats MLflow's Python writes. Writes go through ../io/writeAtomic.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Names of the entries in a folder (none when it is missing), skipping our temporary files. */
export function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.endsWith('.tmp'));
  } catch {
    return [];
  }
}

/** Files under dir (recursively), as paths relative to it with '/' separators. Keys such as tag names may hold '/'. */
export function listFilesDeep(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of listDir(dir)) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFilesDeep(path.join(dir, e.name), rel));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

/** A float as Python's repr writes it (MLflow's metric files): 1.0, 0.25, 1e-05, nan, inf. */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return v.toFixed(1);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m, e] = v.toExponential().split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(v);
}

/** A parameter value as MLflow's Python clients stringify theirs: None, True, False, lists as JSON. */
export function pyValue(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function parsePyFloat(s: string): number {
  const t = s.trim().toLowerCase();
  if (t === 'nan') return NaN;
  if (t === 'inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return Number(t);
}
