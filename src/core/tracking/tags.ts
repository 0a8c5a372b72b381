// Every tag a run or experiment carries, by name: MLflow's own (its UI reads them) and ours
// (mlworkbench.*). The one list: writers and readers (the CLI, the tree, the panels) use these
// names rather than literals, which had been split between the store, the training session and
// inline strings.

export const TAG = {
  // MLflow's.
  runName: 'mlflow.runName',
  parentRunId: 'mlflow.parentRunId',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  user: 'mlflow.user',
  note: 'mlflow.note.content',
  // Ours.
  /** Host and process that own a RUNNING run, so another process can tell it was abandoned. */
  owner: 'mlworkbench.owner',
  /** The work that wrote the run, so that all its runs can be ended at once (KILLED). */
  session: 'mlworkbench.session',
  /** What the run is: a RunKind. */
  kind: 'mlworkbench.kind',
  /** Our model key (lr, rf, svm, mlp) and the estimator's type. */
  model: 'mlworkbench.model',
  estimator: 'mlworkbench.estimator',
  task: 'mlworkbench.task',
  error: 'mlworkbench.error',
  warnings: 'mlworkbench.warnings',
  /** A session's leakage alerts, as JSON (src/core/ml/leakage.ts). */
  leakage: 'mlworkbench.leakage',
  /** The data file and target of a session (on its experiment and runs). */
  data: 'mlworkbench.data',
  target: 'mlworkbench.target',
  /** A session's best model run. */
  bestRunId: 'mlworkbench.bestRunId',
  /** An evaluation's bundle, and the run that trained it. */
  bundle: 'mlworkbench.bundle',
  evaluatedRunId: 'mlworkbench.evaluatedRunId',
  /** A drift check's reference (a CSV or a bundle), and the model run it checks, when it is a model. */
  driftReference: 'mlworkbench.driftReference',
  driftOfRunId: 'mlworkbench.driftOfRunId',
} as const;

/** What a run is, in TAG.kind: a training session, one of its models, a search, a search's candidate, an evaluation, a drift check. */
export type RunKind = 'train' | 'model' | 'tuning' | 'candidate' | 'evaluation' | 'drift';
