// The experiment store: MLflow's file store layout (mlruns/), read and written as MLflow does.
//   mlruns/<experiment_id>/meta.yaml
//   mlruns/<experiment_id>/<run_id>/{meta.yaml, params/<key>, metrics/<key>, tags/<key>, artifacts/}
//   mlruns/.trash/<experiment_id>/   deleted experiments
// It reads stores that MLflow 1.x and 2.x wrote: ids stay strings (some exceed 2^53), URIs from other
// machines are never followed (paths come from the store root), folders without meta.yaml are not
// runs, a folder in .trash is deleted whatever its meta says, and metric lines may have 2 fields.
// Writes are atomic (files.ts). A run left RUNNING by a process that died is marked FAILED by
// failAbandonedRuns, which the extension and CLI call when they start.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as yaml from 'js-yaml';
import { fileProblem } from '../io/fileErrors';
import { writeAtomic } from '../io/writeAtomic';
import { listDir, listFilesDeep, parsePyFloat, pyFloat, pyValue, readText } from './files';
import { TAG } from './tags';

export const RUN_STATUS = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 } as const;
export type RunStatus = keyof typeof RUN_STATUS;
const STATUS_NAME = Object.fromEntries(Object.entries(RUN_STATUS).map(([k, v]) => [v, k])) as Record<number, RunStatus>;


export interface Experiment {
  id: string;
  name: string;
  lifecycleStage: 'active' | 'deleted';
  creationTime?: number;
  lastUpdateTime?: number;
  tags: Record<string, string>;
  dir: string;
}

export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  lifecycleStage: 'active' | 'deleted';
  userId: string;
  dir: string;
  artifactDir: string;
}

export interface Run extends RunInfo {
  params: Record<string, string>;
  /** The latest value of each metric (largest step, then latest timestamp), as MLflow reports it. */
  metrics: Record<string, number>;
  tags: Record<string, string>;
  parentRunId?: string;
}

export interface MetricPoint {
  timestamp: number;
  value: number;
  step: number;
}

export class StoreError extends Error {}

/** A folder of the store that should be an experiment or a run and cannot be read as one. */
export interface DamagedEntry {
  kind: 'experiment' | 'run';
  dir: string;
  /** What is wrong: no meta.yaml, not YAML, no id, a link that loops, unreadable. */
  problem: string;
  /** How to repair or remove it. */
  fix: string;
}

/** Folders in a store root that are not experiments (MLflow's model registry, its trash). */
const NOT_EXPERIMENTS = new Set(['.trash', 'models']);
/** Folders in an experiment that are not runs (experiment tags; MLflow 2's logged datasets). */
const NOT_RUNS = new Set(['tags', 'datasets']);

/** A meta.yaml as read, or why it cannot be: the store's entries that vanished now say what is wrong. */
function inspectMeta(file: string): { meta: Meta } | { problem: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { problem: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it has no meta.yaml' : `its meta.yaml: ${fileProblem(e, 'read')}` };
  }
  let m: unknown;
  try {
    m = yaml.load(text);
  } catch {
    return { problem: 'its meta.yaml is not valid YAML' };
  }
  return m && typeof m === 'object' ? { meta: m as Meta } : { problem: 'its meta.yaml holds no fields' };
}

type Meta = Record<string, unknown>;

function readMeta(file: string): Meta | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  try {
    const m = yaml.load(text);
    return m && typeof m === 'object' ? (m as Meta) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number | null => (typeof v === 'number' ? v : v === null || v === undefined || v === '' ? null : Number(v));

function writeMeta(file: string, meta: Meta): void {
  writeAtomic(file, yaml.dump(meta, { sortKeys: true, lineWidth: -1 }));
}

/** Keys of params, tags and metrics become file names: refuse what could escape the folder. */
function checkKey(kind: string, key: string): void {
  if (!key || key.length > 250 || /(^|[\\/])\.\.?([\\/]|$)/.test(key) || path.isAbsolute(key) || !/^[\w\-. /]+$/.test(key)) {
    throw new StoreError(`invalid ${kind} name "${key}": use letters, digits, _ - . / and spaces`);
  }
}

export class MlflowStore {
  readonly root: string;
  /** run id → its folder, remembered once found (checked again before use: experiments move to .trash). */
  private runDirs = new Map<string, string>();

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  // ---- experiments ----

  listExperiments(options: { includeDeleted?: boolean } = {}): Experiment[] {
    const out: Experiment[] = [];
    const scan = (dir: string, inTrash: boolean) => {
      for (const e of listDir(dir)) {
        if (!e.isDirectory() || e.name.startsWith('.')) continue;
        const exp = this.readExperiment(path.join(dir, e.name), inTrash);
        if (exp && (options.includeDeleted || exp.lifecycleStage === 'active')) out.push(exp);
      }
    };
    scan(this.root, false);
    if (options.includeDeleted) scan(path.join(this.root, '.trash'), true);
    return out.sort((a, b) => compareIds(a.id, b.id));
  }

  private readExperiment(dir: string, inTrash: boolean): Experiment | undefined {
    const m = readMeta(path.join(dir, 'meta.yaml'));
    if (!m || m.experiment_id === undefined || m.name === undefined) return undefined;
    const tags = readKeyValues(path.join(dir, 'tags'));
    return {
      id: str(m.experiment_id),
      name: str(m.name),
      lifecycleStage: inTrash || m.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
      creationTime: num(m.creation_time) ?? undefined,
      lastUpdateTime: num(m.last_update_time) ?? undefined,
      tags,
      dir,
    };
  }

  getExperiment(id: string): Experiment {
    const exp = this.readExperiment(path.join(this.root, id), false) ?? this.readExperiment(path.join(this.root, '.trash', id), true);
    if (!exp) throw new StoreError(`no experiment with id ${id} in ${this.root}`);
    return exp;
  }

  createExperiment(name: string, tags: Record<string, string> = {}): Experiment {
    if (!name.trim()) throw new StoreError('an experiment needs a name');
    if (this.listExperiments({ includeDeleted: true }).some((e) => e.name === name)) throw new StoreError(`an experiment named "${name}" already exists`);
    // Sequential ids as MLflow 1.x (MLflow 2.x draws random ones; both are valid to its reader).
    const ids = [...listDir(this.root), ...listDir(path.join(this.root, '.trash'))].map((e) => e.name).filter((n) => /^\d+$/.test(n));
    const next = ids.reduce((m, n) => (BigInt(n) >= m ? BigInt(n) + 1n : m), 0n);
    const id = String(next);
    const dir = path.join(this.root, id);
    const now = Date.now();
    writeMeta(path.join(dir, 'meta.yaml'), { artifact_location: pathToFileURL(dir).href, creation_time: now, experiment_id: id, last_update_time: now, lifecycle_stage: 'active', name });
    this.setTags(dir, tags);
    return this.getExperiment(id);
  }

  getOrCreateExperiment(name: string, tags: Record<string, string> = {}): Experiment {
    return this.listExperiments().find((e) => e.name === name) ?? this.createExperiment(name, tags);
  }

  renameExperiment(id: string, name: string): void {
    const file = path.join(this.getExperiment(id).dir, 'meta.yaml');
    writeMeta(file, { ...readMeta(file), name, last_update_time: Date.now() });
  }

  /** As MLflow: marks the experiment deleted, then moves its folder (runs and all) to .trash/. */
  deleteExperiment(id: string): void {
    const exp = this.getExperiment(id);
    if (exp.lifecycleStage === 'deleted') return;
    const file = path.join(exp.dir, 'meta.yaml');
    writeMeta(file, { ...readMeta(file), lifecycle_stage: 'deleted', last_update_time: Date.now() });
    fs.mkdirSync(path.join(this.root, '.trash'), { recursive: true });
    fs.renameSync(exp.dir, path.join(this.root, '.trash', id));
  }

  /**
   * The folders that should be experiments or runs and cannot be read (listExperiments and
   * listRuns leave them out): each with its problem and how to repair or remove it.
   */
  listDamaged(): DamagedEntry[] {
    const out: DamagedEntry[] = [];
    const inspect = (dir: string, kind: 'experiment' | 'run'): boolean => {
      const idField = kind === 'experiment' ? 'experiment_id' : 'run_id';
      let problem: string | undefined;
      try {
        if (!fs.statSync(dir).isDirectory()) return false;
        const r = inspectMeta(path.join(dir, 'meta.yaml'));
        if ('problem' in r) problem = r.problem;
        else if (kind === 'experiment' ? r.meta.experiment_id === undefined || r.meta.name === undefined : !(r.meta.run_id ?? r.meta.run_uuid)) problem = `its meta.yaml has no ${idField}${kind === 'experiment' ? ' or name' : ''}`;
      } catch (e) {
        problem = fileProblem(e, 'read');
      }
      if (problem) {
        out.push({
          kind, dir, problem,
          fix: `restore ${path.join(dir, 'meta.yaml')} (MLflow's ${kind} meta.yaml with ${idField}${kind === 'experiment' ? ', name' : ''}) from a backup or version control, or remove the folder ${dir}`,
        });
      }
      return !problem;
    };
    for (const base of [this.root, path.join(this.root, '.trash')]) {
      for (const e of listDir(base)) {
        if (e.name.startsWith('.') || NOT_EXPERIMENTS.has(e.name) || !(e.isDirectory() || e.isSymbolicLink())) continue;
        const expDir = path.join(base, e.name);
        if (!inspect(expDir, 'experiment')) continue;
        for (const r of listDir(expDir)) {
          if (r.name.startsWith('.') || NOT_RUNS.has(r.name) || !(r.isDirectory() || r.isSymbolicLink())) continue;
          inspect(path.join(expDir, r.name), 'run');
        }
      }
    }
    return out;
  }

  // ---- runs ----

  listRuns(experimentId: string, options: { includeDeleted?: boolean } = {}): Run[] {
    const exp = this.getExperiment(experimentId);
    const out: Run[] = [];
    for (const e of listDir(exp.dir)) {
      if (!e.isDirectory() || e.name === 'tags') continue;
      const run = this.readRun(path.join(exp.dir, e.name), exp);
      if (run && (options.includeDeleted || run.lifecycleStage === 'active')) out.push(run);
    }
    return out.sort((a, b) => b.startTime - a.startTime);
  }

  private readRun(dir: string, exp: Experiment): Run | undefined {
    const m = readMeta(path.join(dir, 'meta.yaml'));
    if (!m || !(m.run_id ?? m.run_uuid)) return undefined;
    const runId = str(m.run_id ?? m.run_uuid);
    this.runDirs.set(runId, dir);
    const tags = readKeyValues(path.join(dir, 'tags'));
    const metrics: Record<string, number> = {};
    for (const f of listFilesDeep(path.join(dir, 'metrics'))) {
      const points = parseMetric(readText(path.join(dir, 'metrics', f)) ?? '');
      if (points.length) metrics[f] = latest(points).value;
    }
    const status = STATUS_NAME[Number(m.status)] ?? 'FAILED';
    return {
      runId,
      experimentId: exp.id,
      runName: str(m.run_name) || tags[TAG.runName] || str(m.name) || runId.slice(0, 8),
      status,
      startTime: num(m.start_time) ?? 0,
      endTime: num(m.end_time),
      lifecycleStage: exp.lifecycleStage === 'deleted' || m.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
      userId: str(m.user_id),
      dir,
      artifactDir: path.join(dir, 'artifacts'),
      params: readKeyValues(path.join(dir, 'params')),
      metrics,
      tags,
      parentRunId: tags[TAG.parentRunId] || undefined,
    };
  }

  /** Whether this store holds the run (its folder only is looked up; nothing of the run is read). */
  hasRun(runId: string): boolean {
    try {
      this.runDir(runId);
      return true;
    } catch {
      return false;
    }
  }

  getRun(runId: string): Run {
    const dir = this.runDir(runId);
    const expDir = path.dirname(dir);
    const exp = this.readExperiment(expDir, path.dirname(expDir) === path.join(this.root, '.trash'));
    const run = exp && this.readRun(dir, exp);
    if (!run) throw new StoreError(`run ${runId} in ${this.root} cannot be read (its meta.yaml or its experiment's is not valid)`);
    return run;
  }

  /**
   * The folder of a run, found by name in the experiment folders (and .trash) without reading any
   * run: writes call this for every param, metric point and artifact, so it must stay cheap.
   */
  private runDir(runId: string): string {
    if (!/^[\w-]+$/.test(runId)) throw new StoreError(`"${runId}" is not a run id`);
    const known = this.runDirs.get(runId);
    if (known && fs.existsSync(path.join(known, 'meta.yaml'))) return known;
    for (const base of [this.root, path.join(this.root, '.trash')]) {
      for (const e of listDir(base)) {
        if (!e.isDirectory() || e.name.startsWith('.')) continue;
        const dir = path.join(base, e.name, runId);
        if (fs.existsSync(path.join(dir, 'meta.yaml'))) {
          this.runDirs.set(runId, dir);
          return dir;
        }
      }
    }
    throw new StoreError(`no run ${runId} in ${this.root}`);
  }

  createRun(experimentId: string, o: { runName: string; tags?: Record<string, string>; parentRunId?: string; sourceName?: string }): Run {
    const exp = this.getExperiment(experimentId);
    const runId = randomUUID().replace(/-/g, '');
    const dir = path.join(exp.dir, runId);
    const user = safeUser();
    for (const sub of ['params', 'metrics', 'tags', 'artifacts']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
    const tags: Record<string, string> = {
      [TAG.runName]: o.runName,
      [TAG.sourceType]: 'LOCAL',
      [TAG.user]: user,
      [TAG.owner]: `${os.hostname()}:${process.pid}`,
      ...(o.sourceName ? { [TAG.sourceName]: o.sourceName } : {}),
      ...(o.parentRunId ? { [TAG.parentRunId]: o.parentRunId } : {}),
      ...o.tags,
    };
    this.setTags(dir, tags);
    writeMeta(path.join(dir, 'meta.yaml'), {
      artifact_uri: pathToFileURL(path.join(dir, 'artifacts')).href,
      end_time: null,
      entry_point_name: '',
      experiment_id: exp.id,
      lifecycle_stage: 'active',
      run_id: runId,
      run_name: o.runName,
      run_uuid: runId,
      source_name: '',
      source_type: 4,
      source_version: '',
      start_time: Date.now(),
      status: RUN_STATUS.RUNNING,
      tags: [],
      user_id: user,
    });
    this.runDirs.set(runId, dir);
    return this.getRun(runId);
  }

  logParams(runId: string, params: Record<string, unknown>): void {
    const dir = this.runDir(runId);
    for (const [k, v] of Object.entries(params)) {
      checkKey('param', k);
      writeAtomic(path.join(dir, 'params', k), pyValue(v));
    }
  }

  setTag(runId: string, key: string, value: string): void {
    this.setTags(this.runDir(runId), { [key]: value });
  }

  private setTags(dir: string, tags: Record<string, string>): void {
    for (const [k, v] of Object.entries(tags)) {
      checkKey('tag', k);
      writeAtomic(path.join(dir, 'tags', k), v);
    }
  }

  /** Appends points to metrics (rewritten whole and renamed, so a kill never leaves half a line). */
  logMetrics(runId: string, metrics: Record<string, number>, step = 0, timestamp = Date.now()): void {
    const dir = this.runDir(runId);
    for (const [k, v] of Object.entries(metrics)) {
      checkKey('metric', k);
      const file = path.join(dir, 'metrics', k);
      writeAtomic(file, (readText(file) ?? '') + `${timestamp} ${pyFloat(v)} ${step}\n`);
    }
  }

  metricHistory(runId: string, key: string): MetricPoint[] {
    checkKey('metric', key);
    return parseMetric(readText(path.join(this.runDir(runId), 'metrics', key)) ?? '');
  }

  /** Writes an artifact (path relative to the run's artifacts/) and returns its absolute path. */
  writeArtifact(runId: string, rel: string, data: string | Uint8Array): string {
    checkKey('artifact', rel);
    const file = path.join(this.runDir(runId), 'artifacts', rel);
    writeAtomic(file, data);
    return file;
  }

  /** The run's artifacts folder (found without reading the run). */
  artifactDir(runId: string): string {
    return path.join(this.runDir(runId), 'artifacts');
  }

  readArtifact(runId: string, rel: string): string | undefined {
    checkKey('artifact', rel);
    return readText(path.join(this.runDir(runId), 'artifacts', rel));
  }

  listArtifacts(runId: string): string[] {
    return listFilesDeep(path.join(this.runDir(runId), 'artifacts'));
  }

  endRun(runId: string, status: Exclude<RunStatus, 'RUNNING' | 'SCHEDULED'> = 'FINISHED'): void {
    this.updateRunMeta(runId, { status: RUN_STATUS[status], end_time: Date.now() });
  }

  renameRun(runId: string, name: string): void {
    if (!name.trim()) throw new StoreError('a run needs a name');
    this.setTag(runId, TAG.runName, name);
    this.updateRunMeta(runId, { run_name: name });
  }

  /** As MLflow: the run stays in its folder marked deleted (MLflow's UI can restore it; `mlflow gc` removes it). */
  deleteRun(runId: string): void {
    this.updateRunMeta(runId, { lifecycle_stage: 'deleted', deleted_time: Date.now() });
  }

  private updateRunMeta(runId: string, changes: Meta): void {
    const file = path.join(this.runDir(runId), 'meta.yaml');
    writeMeta(file, { ...readMeta(file), ...changes });
  }

  /** Ends the RUNNING runs tagged key=value (work stopped from outside, e.g. a terminated worker). */
  endRunningRunsTagged(key: string, value: string, status: 'KILLED' | 'FAILED'): string[] {
    return this.endRunningWhere((run) => run.tags[key] === value, status);
  }

  /**
   * Runs left RUNNING whose owner process is gone become FAILED. A run that records no owner of
   * ours (MLflow's own, or from another machine) counts as abandoned when older than a day.
   */
  failAbandonedRuns(isAlive: (owner: string) => boolean = ownerAlive): string[] {
    return this.endRunningWhere((run) => {
      const owner = run.tags[TAG.owner];
      return owner ? !isAlive(owner) : Date.now() - run.startTime > 86_400_000;
    }, 'FAILED');
  }

  /**
   * Ends the RUNNING runs the predicate picks. Only each run's meta.yaml is read to find them (this
   * runs when the extension starts); a RUNNING run is then read whole.
   */
  private endRunningWhere(predicate: (run: Run) => boolean, status: 'KILLED' | 'FAILED'): string[] {
    const ended: string[] = [];
    for (const exp of this.listExperiments()) {
      for (const e of listDir(exp.dir)) {
        if (!e.isDirectory() || Number(readMeta(path.join(exp.dir, e.name, 'meta.yaml'))?.status) !== RUN_STATUS.RUNNING) continue;
        const run = this.readRun(path.join(exp.dir, e.name), exp);
        if (run && run.lifecycleStage === 'active' && predicate(run)) {
          this.endRun(run.runId, status);
          ended.push(run.runId);
        }
      }
    }
    return ended;
  }
}

/** A folder of one file per key (params, tags), keys with '/' in subfolders, as MLflow writes them. */
function readKeyValues(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of listFilesDeep(dir)) out[f] = readText(path.join(dir, f)) ?? '';
  return out;
}

/** Metric file lines: `timestamp value step`, or `timestamp value` (step 0) in older stores; bad lines are skipped. */
export function parseMetric(text: string): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 2 || f.length > 3) continue;
    const timestamp = Number(f[0]), value = parsePyFloat(f[1]), step = f.length === 3 ? Number(f[2]) : 0;
    if (!Number.isFinite(timestamp) || !Number.isFinite(step) || (Number.isNaN(value) && f[1].toLowerCase() !== 'nan')) continue;
    out.push({ timestamp, value, step });
  }
  return out;
}

function latest(points: MetricPoint[]): MetricPoint {
  return points.reduce((a, b) => (b.step > a.step || (b.step === a.step && b.timestamp >= a.timestamp) ? b : a));
}

/** Numeric ids in numeric order without converting to a number (some exceed 2^53). */
function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

function ownerAlive(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== os.hostname()) return true; // another machine's process: cannot tell, leave it
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
