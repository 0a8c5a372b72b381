// The extension's command ids, each once, as package.json contributes them (a unit test holds
// the two to each other). No vscode import, so that tests outside VS Code can read them.

export const COMMAND = {
  profileCsv: 'mlWorkbench.profileCsv',
  engineerFeatures: 'mlWorkbench.engineerFeatures',
  refreshExperiments: 'mlWorkbench.refreshExperiments',
  trainModels: 'mlWorkbench.trainModels',
  tuneHyperparameters: 'mlWorkbench.tuneHyperparameters',
  evaluateModel: 'mlWorkbench.evaluateModel',
  predictWithModel: 'mlWorkbench.predictWithModel',
  cancelJobs: 'mlWorkbench.cancelJobs',
  openRun: 'mlWorkbench.openRun',
  /** The Experiments view's name for openRun. */
  openResults: 'mlWorkbench.openResults',
  compareRuns: 'mlWorkbench.compareRuns',
  showHistory: 'mlWorkbench.showHistory',
  revealArtifacts: 'mlWorkbench.revealArtifacts',
  renameRun: 'mlWorkbench.renameRun',
  deleteRun: 'mlWorkbench.deleteRun',
  deleteExperiment: 'mlWorkbench.deleteExperiment',
  scaffoldServing: 'mlWorkbench.scaffoldServing',
  serveModel: 'mlWorkbench.serveModel',
  exportOnnx: 'mlWorkbench.exportOnnx',
  checkDrift: 'mlWorkbench.checkDrift',
  openMonitoring: 'mlWorkbench.openMonitoring',
  openAbReport: 'mlWorkbench.openAbReport',
} as const;

export type CommandId = (typeof COMMAND)[keyof typeof COMMAND];
