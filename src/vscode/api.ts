import type * as vscode from 'vscode';
import type { SecretStore } from './auth/secretStore';
import type { ConnectionInfo, ConnectionManager } from './connection/connectionManager';
import type { RunsApi } from './runs/registerRuns';

/**
 * What `activate()` returns: `vscode.extensions.getExtension(EXTENSION_ID).exports`. Other extensions
 * and scripted setups can follow the connection and provision a profile's client secret (for example
 * from a CI secret) without a UI. Secrets can be written, checked and deleted, never read back.
 */
export interface GenesysCloudApi {
  readonly apiVersion: 1;
  /** The active connection, if any. */
  readonly connection: ConnectionInfo | undefined;
  readonly onDidChangeConnection: vscode.Event<ConnectionInfo | undefined>;
  /** Same as the "Genesys Cloud: Connect to Sandbox" command, without its notifications. */
  connectSandbox(): Promise<ConnectionInfo>;
  readonly credentials: {
    storeClientSecret(profileId: string, secret: string): Promise<void>;
    hasClientSecret(profileId: string): Promise<boolean>;
    deleteClientSecret(profileId: string): Promise<void>;
    /** Fires with the profile id whose secret changed, in this window or another. */
    readonly onDidChange: vscode.Event<string>;
  };
  /** Runs and the Query History: results cache folder, runs in flight, history items, finished runs. */
  readonly runs: RunsApi;
}

export function createApi(connections: ConnectionManager, secrets: SecretStore, runs: RunsApi): GenesysCloudApi {
  return {
    apiVersion: 1,
    runs,
    get connection() {
      return connections.current;
    },
    onDidChangeConnection: connections.onDidChange,
    connectSandbox: () => connections.connectSandbox(),
    credentials: {
      storeClientSecret: async (profileId, secret) => secrets.storeClientSecret(profileId, secret),
      hasClientSecret: async (profileId) => (await secrets.getClientSecret(profileId)) !== undefined,
      deleteClientSecret: async (profileId) => secrets.deleteClientSecret(profileId),
      onDidChange: secrets.onDidChangeClientSecret,
    },
  };
}
