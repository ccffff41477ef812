import type * as vscode from 'vscode';
import type { SecretStore } from './auth/secretStore';
import type { ConnectionInfo, ConnectionManager } from './connection/connectionManager';
import { usePrompter } from './connection/prompter';
import type { Prompter } from './connection/prompts';
import type { SavedConnection, SavedConnectionStore } from './connection/savedConnections';

import type { RunsApi } from './runs/registerRuns';

export type { Prompter, SavedConnection };

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
  /** Same as the "Genesys Cloud: Try the Sandbox" command, without its notifications. */
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
  readonly connections: {
    /** The saved connections' metadata (what globalState holds; never a secret). */
    list(): readonly SavedConnection[];
    /**
     * Answers the questions of the connection commands (Sign In, Sign Out, Switch Connection, the
     * production confirmation) instead of QuickPicks and dialogs, for scripted setups. Dispose to
     * restore the interactive prompts.
     */
    usePrompter(prompter: Prompter): vscode.Disposable;
  };
  readonly diagnostics: {
    /** Folder of this extension's log files (the "Genesys Cloud" log channel writes there). */
    readonly logUri: vscode.Uri;
    /** Everything this extension keeps in globalState, for support and audits (it never holds secrets). */
    globalState(): Record<string, unknown>;
  };
}

/** The connection-side services createApi exposes beyond the manager and the secrets. */
export interface ConnectionApiSources {
  readonly saved: SavedConnectionStore;
  readonly context: Pick<vscode.ExtensionContext, 'logUri' | 'globalState'>;
}

export function createApi(connections: ConnectionManager, secrets: SecretStore, runs: RunsApi, sources: ConnectionApiSources): GenesysCloudApi {
  const { saved, context } = sources;
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
      hasClientSecret: async (profileId) => secrets.hasClientSecret(profileId),
      deleteClientSecret: async (profileId) => secrets.deleteClientSecret(profileId),
      onDidChange: secrets.onDidChangeClientSecret,
    },
    connections: {
      list: () => saved.list(),
      usePrompter,
    },
    diagnostics: {
      logUri: context.logUri,
      globalState: () => Object.fromEntries(context.globalState.keys().map((key) => [key, context.globalState.get<unknown>(key)])),
    },
  };
}
