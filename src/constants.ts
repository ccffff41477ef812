/** Every id the manifest declares, in one place; test/unit/manifest.unit.test.ts checks them against package.json. */
export const EXTENSION_ID = 'genesys-analytics-tools.genesys-cloud-analytics';

export const Commands = {
  showLog: 'genesysCloud.showLog',
  refreshHistory: 'genesysCloud.refreshHistory',
} as const;

export const Views = {
  container: 'genesysCloud',
  history: 'genesysCloud.history',
} as const;

export const Settings = {
  section: 'genesysCloud',
} as const;
