import type * as vscode from 'vscode';
import type { SecretStore } from '../auth/secretStore';
import type { ClientFactory, ConnectionInfo, ConnectionManager } from './connectionManager';
import type { Prompter } from './prompts';
import type { SavedConnectionStore } from './savedConnections';

/** What the connection commands work with; built once by registerConnections. */
export interface ConnectionDeps {
  readonly connections: ConnectionManager;
  readonly saved: SavedConnectionStore;
  readonly secrets: SecretStore;
  readonly createClient: ClientFactory;
  readonly log: vscode.LogOutputChannel;
  /** The prompter in use now (QuickPick/InputBox, or a scripted one installed through the API). */
  readonly prompter: () => Prompter;
  /** Deadline of the interactive sign-in check, in ms. */
  readonly checkTimeoutMs: () => number;
  /** Called after the saved list changed here (refreshes the `genesysCloud.hasConnections` key). */
  readonly savedChanged: () => void;
}

/**
 * What each connection command resolves with, so scripted callers (and the tests) see the outcome the
 * user saw as a notification. `message` is that notification's text.
 */
export type ConnectionOutcome =
  | { readonly status: 'connected'; readonly connection: ConnectionInfo; readonly message: string; readonly warning?: string }
  | { readonly status: 'failed'; readonly message: string; readonly errorKind?: string }
  | { readonly status: 'signedOut'; readonly id: string; readonly message: string }
  | { readonly status: 'updated'; readonly id: string; readonly production: boolean; readonly message: string }
  | { readonly status: 'disconnected'; readonly message: string }
  | { readonly status: 'cancelled' };
