// A model bundle: everything needed to predict, as data. One folder holding bundle.json (the
// preprocessing pipeline and the model as versioned JSON, the input schema, the class labels) and,
// for the MLP, tfjs/model.json + weights.bin for TensorFlow.js users. Loading checks the envelope
// against a JSON schema, then lets the preprocessor and the model check their own state; nothing
// in a bundle is ever executed (unlike a pickle).
import Ajv, { ValidateFunction } from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from '../frame';
import { isClassifier, Model, SavedModel, savesTfjs } from '../ml/estimator';
import { fileProblem, parseJsonText } from '../io/fileErrors';
import { Preprocessor, PreprocessorState } from '../ml/preprocess';
import { FeaturePipeline } from '../ml/transformers/pipeline';
import type { SavedStep } from '../ml/transformers/step';
import { backendFor, loadEstimator } from '../ml/registry';
import { writeAtomicAsync } from '../io/writeAtomic';
import { BUNDLE_FILE, bundleFileAt, MODEL_ARTIFACT_DIR, runBundleFile } from './bundlePaths';

export { BUNDLE_FILE, bundleFileAt, MODEL_ARTIFACT_DIR, runBundleFile };
import type { Task } from '../ml/task';
import type { TrainingReference } from '../monitoring/reference';

export const BUNDLE_FORMAT = 'ml-workbench-bundle';
/** 2: the preprocessor saved as column steps (version 1 bundles still load). */
export const BUNDLE_VERSION = 2;

export interface InputColumn {
  name: string;
  kind: 'numeric' | 'boolean' | 'categorical' | 'datetime';
  categories?: string[];
}

export interface ModelBundle {
  format: typeof BUNDLE_FORMAT;
  version: number;
  createdAt: string;
  /** Our model key (lr, rf, svm, mlp) and the estimator's type. */
  model: string;
  task: Task;
  target: string;
  labels?: string[];
  input: InputColumn[];
  /** Feature steps replayed before the preprocessor (bundles saved before them have none). */
  features?: SavedStep[];
  preprocessor: PreprocessorState;
  estimator: SavedModel;
  /** Where it came from: the training file, run and experiment. */
  source?: { file?: string; runId?: string; experimentId?: string };
  /** A sample of the training rows' inputs, for drift checks (bundles saved before it have none). */
  reference?: TrainingReference;
}

const ENVELOPE = {
  type: 'object',
  required: ['format', 'version', 'model', 'task', 'target', 'input', 'preprocessor', 'estimator'],
  properties: {
    format: { const: BUNDLE_FORMAT },
    version: { type: 'integer' },
    model: { type: 'string' },
    task: { enum: ['classification', 'regression'] },
    target: { type: 'string' },
    labels: { type: 'array', items: { type: 'string' }, minItems: 2 },
    input: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'kind'],
        properties: { name: { type: 'string' }, kind: { enum: ['numeric', 'boolean', 'categorical', 'datetime'] }, categories: { type: 'array', items: { type: 'string' } } },
      },
    },
    features: { type: 'array', items: { type: 'object', required: ['type', 'version', 'params', 'state'] } },
    reference: {
      type: 'object', required: ['version', 'rows', 'columns'],
      properties: {
        version: { const: 1 }, rows: { type: 'integer', minimum: 0 },
        columns: { type: 'array', items: { type: 'object', required: ['name', 'kind', 'count'], properties: { name: { type: 'string' }, kind: { enum: ['numeric', 'categorical'] }, count: { type: 'integer', minimum: 0 }, sample: { type: 'array', items: { type: 'number' } }, counts: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } } } } },
      },
    },
    preprocessor: { type: 'object', required: ['version', 'outputNames'] },
    estimator: { type: 'object', required: ['format', 'type', 'version', 'params', 'state'], properties: { format: { const: 'ml-workbench-model' }, type: { type: 'string' } } },
  },
} as const;

/**
 * A type guard: what passes is a ModelBundle's envelope (its parts check themselves on load).
 * Compiled on first use: at load it cost every mlw command 70 ms, `train` included, which never
 * reads a bundle.
 */
let envelope: ValidateFunction<ModelBundle> | undefined;
const validateEnvelope = (): ValidateFunction<ModelBundle> => (envelope ??= new Ajv({ allErrors: false }).compile<ModelBundle>(ENVELOPE));

/**
 * The columns a bundle reads: the preprocessor's, except those its feature steps make, then the
 * columns the steps read that the preprocessor does not (a date used only for its time features).
 */
export function inputSchema(pre: Preprocessor, features?: FeaturePipeline): InputColumn[] {
  const made = new Set(features?.outputNames() ?? []);
  const own: InputColumn[] = pre.inputs().filter((f) => !made.has(f.column))
    .map((f) => (f.kind === 'categorical' ? { name: f.column, kind: 'categorical', categories: f.categories } : { name: f.column, kind: f.kind }));
  const more = (features?.inputColumns() ?? []).filter((c) => !own.some((o) => o.name === c.name)).map((c): InputColumn => ({ name: c.name, kind: c.kind }));
  return [...own, ...more];
}

export async function saveBundle(dir: string, b: Omit<ModelBundle, 'format' | 'version' | 'createdAt'>, estimator: Model): Promise<string> {
  const bundle: ModelBundle = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, createdAt: new Date().toISOString(), ...b };
  const file = path.join(dir, BUNDLE_FILE);
  await writeAtomicAsync(file, JSON.stringify(bundle));
  if (savesTfjs(estimator)) await estimator.saveTfjs(path.join(dir, 'tfjs'));
  return file;
}

export interface LoadedBundle {
  bundle: ModelBundle;
  /** The feature steps to replay before the preprocessor (none for most bundles). */
  features: FeaturePipeline;
  preprocessor: Preprocessor;
  estimator: Model;
  file: string;
}

/** Loads a bundle from its folder or its bundle.json; every problem names the file. */
export async function loadBundle(where: string): Promise<LoadedBundle> {
  const file = fs.existsSync(where) && fs.statSync(where).isDirectory() ? path.join(where, BUNDLE_FILE) : where;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: not a model bundle: ${fileProblem(e, 'read')}${(e as NodeJS.ErrnoException).code === 'ENOENT' ? ' (a bundle is a run\'s artifacts/model folder or its bundle.json)' : ''}`);
  }
  const raw = parseJsonText(text, file, 'a model bundle');
  const validate = validateEnvelope();
  if (!validate(raw)) {
    const err = validate.errors?.[0];
    throw new Error(`${file}: not an ML Workbench model bundle: ${err?.instancePath || '(top level)'} ${err?.message ?? ''}`.trim());
  }
  const bundle = raw;
  if (bundle.version > BUNDLE_VERSION) throw new Error(`${file}: bundle version ${bundle.version} is newer than this version reads (${BUNDLE_VERSION}); update ML Workbench`);
  if (bundle.task === 'classification' && !bundle.labels) throw new Error(`${file}: a classification bundle without class labels`);
  try {
    // A network is rebuilt in TensorFlow.js, whose backend starts asynchronously.
    await backendFor(bundle.estimator.type);
    const features = FeaturePipeline.fromJSON(bundle.features ?? []);
    const preprocessor = Preprocessor.fromJSON(bundle.preprocessor);
    const estimator = loadEstimator(bundle.estimator);
    checkParts(bundle, features, preprocessor, estimator);
    return { bundle, features, preprocessor, estimator, file };
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/**
 * The parts of a bundle must agree: the model's task is the bundle's, a classifier has one class
 * per label, the model reads as many features as the preprocessor writes, and the input schema is
 * the preprocessor's. Each part checked itself on load; this checks them against each other.
 */
function checkParts(b: ModelBundle, features: FeaturePipeline, pre: Preprocessor, estimator: LoadedBundle['estimator']): void {
  const problems: string[] = [];
  if (estimator.task !== b.task) problems.push(`task is ${b.task} but the model (${estimator.type}) does ${estimator.task}`);
  if (isClassifier(estimator) && b.labels && estimator.nClasses !== b.labels.length) problems.push(`${b.labels.length} class labels but the model has ${estimator.nClasses} classes`);
  if (b.labels && new Set(b.labels).size !== b.labels.length) problems.push('the class labels repeat');
  const nFeatures = (b.estimator.state as { nFeatures: number }).nFeatures;
  const width = pre.state!.outputNames.length;
  if (nFeatures !== width) problems.push(`the preprocessor writes ${width} features but the model reads ${nFeatures}`);
  const expected = inputSchema(pre, features).map((c) => `${c.name}:${c.kind}`).join(',');
  if (b.input.map((c) => `${c.name}:${c.kind}`).join(',') !== expected) problems.push('its input columns are not the preprocessor\'s');
  if (problems.length) throw new Error(`the bundle's parts do not agree: ${problems.join('; ')}`);
}

/** Columns the bundle needs that the frame lacks (an error), and columns it will not use (said, not an error). */
export function checkColumns(b: ModelBundle, frame: Frame): { missing: string[]; extra: string[] } {
  const have = new Set(frame.columns.map((c) => c.name));
  const need = new Set(b.input.map((c) => c.name));
  return {
    missing: [...need].filter((n) => !have.has(n)),
    extra: [...have].filter((n) => !need.has(n) && n !== b.target),
  };
}
