/** Every id the manifest declares, in one place; test/unit/manifest.unit.test.ts checks them against package.json. */
export const EXTENSION_ID = 'genesys-analytics-tools.genesys-cloud-analytics';

export const Commands = {
  connectSandbox: 'genesysCloud.connectSandbox',
  showLog: 'genesysCloud.showLog',
  refreshHistory: 'genesysCloud.refreshHistory',
  /** Opens a run in the results table; takes a runId (the Query History passes one) or asks with a QuickPick. */
  openResults: 'genesysCloud.openResults',
} as const;

export const Views = {
  container: 'genesysCloud',
  history: 'genesysCloud.history',
} as const;

/** Context keys set with `setContext`, used in `when` clauses of package.json. */
export const ContextKeys = {
  connected: 'genesysCloud.connected',
} as const;

export const Settings = {
  section: 'genesysCloud',
  /** Relative to `section`, for `workspace.getConfiguration(Settings.section).get(...)`. */
  sandboxConnectOnStart: 'sandbox.connectOnStart',
  sandboxUrl: 'sandbox.url',
  httpTimeoutSeconds: 'http.timeoutSeconds',
  resultsReusePanel: 'results.reusePanel',
} as const;

/** Keys in SecretStorage; only src/vscode/auth/secretStore.ts reads or writes them. */
export const SecretKeys = {
  clientSecretPrefix: 'genesysCloud.clientSecret.',
} as const;
