// Where a model bundle lives: the file a path names (a run's folder, a model folder or a .json) and
// a run's bundle. Kept apart from bundle.ts, which loads models (and so every estimator and
// TensorFlow.js): the extension host reads these paths at activation and must not load an engine.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BUNDLE_FILE = 'bundle.json';
/** A run keeps its model in artifacts/model/: bundle.json, and tfjs/ for the MLP. */
export const MODEL_ARTIFACT_DIR = 'model';

/**
 * The bundle file a path names: a run's folder (its artifacts/model/bundle.json), a model folder
 * (its bundle.json) or a .json file; undefined for anything else (a CSV). mlw's commands and the
 * drift check all take a model this way.
 */
export function bundleFileAt(where: string): string | undefined {
  for (const candidate of [path.join(where, 'artifacts', MODEL_ARTIFACT_DIR, BUNDLE_FILE), path.join(where, BUNDLE_FILE)]) if (fs.existsSync(candidate)) return candidate;
  return where.endsWith('.json') ? where : undefined;
}

/** The bundle file of a run, from its artifacts folder. */
export const runBundleFile = (artifactDir: string): string => path.join(artifactDir, MODEL_ARTIFACT_DIR, BUNDLE_FILE);
