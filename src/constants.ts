/** Every id the manifest declares, in one place; test/unit/manifest.unit.test.ts checks them against package.json. */
export const EXTENSION_ID = 'genesys-analytics-tools.genesys-cloud-analytics';

export const Commands = {
  connectSandbox: 'genesysCloud.connectSandbox',
  signIn: 'genesysCloud.signIn',
  signOut: 'genesysCloud.signOut',
  switchConnection: 'genesysCloud.switchConnection',
  setProduction: 'genesysCloud.setProduction',
  disconnect: 'genesysCloud.disconnect',
  showLog: 'genesysCloud.showLog',
  refreshHistory: 'genesysCloud.refreshHistory',
  // Runs (src/vscode/runs) and their history (src/vscode/history).
  runQuery: 'genesysCloud.runQuery',
  runJob: 'genesysCloud.runJob',
  showRuns: 'genesysCloud.showRuns',
  cancelRun: 'genesysCloud.cancelRun',
  openRunResults: 'genesysCloud.openRunResults',
  refetchRun: 'genesysCloud.refetchRun',
  copyRunId: 'genesysCloud.copyRunId',
  openRunBody: 'genesysCloud.openRunBody',
  exportRun: 'genesysCloud.exportRun',
  runAgain: 'genesysCloud.runAgain',
  deleteRun: 'genesysCloud.deleteRun',
  filterHistory: 'genesysCloud.filterHistory',
  clearFinishedRuns: 'genesysCloud.clearFinishedRuns',
  /** Opens a run in the results table; takes a runId (the Query History passes one) or asks with a QuickPick. */
  openResults: 'genesysCloud.openResults',
  // Query files (src/vscode/queryFiles): authoring and running *.gcquery.json.
  newQueryFile: 'genesysCloud.newQueryFile',
  validateQueryFile: 'genesysCloud.validateQueryFile',
  copyQueryFileAs: 'genesysCloud.copyQueryFileAs',
} as const;

export const Views = {
  container: 'genesysCloud',
  history: 'genesysCloud.history',
} as const;

/** Context keys set with `setContext`, used in `when` clauses of package.json. */
export const ContextKeys = {
  connected: 'genesysCloud.connected',
  /** At least one signed-in connection is saved (the sandbox does not count). */
  hasConnections: 'genesysCloud.hasConnections',
} as const;

export const Settings = {
  section: 'genesysCloud',
  /** Relative to `section`, for `workspace.getConfiguration(Settings.section).get(...)`. */
  sandboxConnectOnStart: 'sandbox.connectOnStart',
  sandboxUrl: 'sandbox.url',
  httpTimeoutSeconds: 'http.timeoutSeconds',
  queryPageSize: 'query.pageSize',
  jobsResultsPageSize: 'jobs.resultsPageSize',
  /** Most sub-jobs a job run pages at once (1: one job, the sequential walk). */
  jobsMaxParallelSubJobs: 'jobs.maxParallelSubJobs',
  resultsCacheMaxSizeMB: 'results.cacheMaxSizeMB',
  resultsCacheMaxAgeDays: 'results.cacheMaxAgeDays',
  confirmRunsOnProduction: 'confirmRunsOnProduction',
  resultsReusePanel: 'results.reusePanel',
  /** IANA zone for relative intervals of query files that name none (empty: this machine's). */
  queryFilesTimeZone: 'queryFiles.timeZone',
} as const;

/** Keys in SecretStorage; only src/vscode/auth/secretStore.ts reads or writes them. */
export const SecretKeys = {
  clientSecretPrefix: 'genesysCloud.clientSecret.',
} as const;
