// Run specs: a training or tuning run as a JSON file that can be repeated and committed. The same
// schema is contributed to VS Code (jsonValidation, for completion) and validates here.
import { schemaProblems } from '../io/schemaProblems';
import * as fs from 'node:fs';
import * as path from 'node:path';
import validateRunSpec from '../../../schemas/run-spec.schema.json?standalone';
import { FileError, parseJsonText } from '../io/fileErrors';
import type { Distribution } from '../ml/modelSelection';
import type { DatetimePart } from '../ml/preprocess';
import type { Scoring } from '../ml/scoring';
import type { Task } from '../ml/task';

export type ModelKey = 'lr' | 'rf' | 'svm' | 'mlp';
export const MODEL_KEYS: ModelKey[] = ['lr', 'rf', 'svm', 'mlp'];
export type SvmSolver = 'auto' | 'exact' | 'approx';

interface Common {
  /** The CSV file (absolute once loaded). */
  data: string;
  target: string;
  task?: Task;
  drop?: string[];
  /** Numeric code columns to one-hot encode as categories. */
  categorical?: string[];
  dateParts?: DatetimePart[];
  /** Feature steps, each { type, ...options } (transformers/registry.ts). */
  features?: Record<string, unknown>[];
  experiment?: string;
  testSize?: number;
  cv?: number;
  seed?: number;
  svmSolver?: SvmSolver;
  params?: Partial<Record<ModelKey, Record<string, unknown>>>;
  scoring?: Scoring;
}

export interface TrainSpec extends Common {
  kind: 'train';
  models: ModelKey[];
}

export interface TuneSpec extends Common {
  kind: 'tune';
  model: ModelKey;
  grid?: Record<string, unknown[]>;
  space?: Record<string, Distribution>;
  nIter?: number;
}

export type RunSpec = TrainSpec | TuneSpec;

/** A type guard: what passes the schema (compiled at build time) is a RunSpec. */
const isRunSpec = (raw: unknown): raw is RunSpec => validateRunSpec(raw);

/** Checks a spec object; problems are named by their JSON path. */
export function checkSpec(raw: unknown, where = 'run spec'): RunSpec {
  if (!isRunSpec(raw)) {
    throw new Error(`${where}: ${schemaProblems(validateRunSpec.errors).join('; ')}`);
  }
  return raw;
}

/** Reads a spec file; its data path is taken relative to the file. */
export function readSpecFile(file: string): RunSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new FileError(e, file, 'read');
  }
  // A fault is given by position: V8's message would quote the file (a spec that is /etc/shadow).
  const spec = checkSpec(parseJsonText(text, file, 'a run spec'), file);
  return { ...spec, data: path.resolve(path.dirname(file), spec.data) };
}
