import * as vscode from 'vscode';
import type { GenesysApi } from '../../genesys/genesysApi';
import type { OrgInfo } from '../../genesys/types';

/** A sandbox the extension started in its own process (see src/sandbox); closed when disconnected. */
export interface RunningSandbox {
  readonly url: string;
  close(): Promise<void> | void;
}

export type SandboxStarter = () => Promise<RunningSandbox>;

/** A signed-in SDK client (src/genesys GenesysClient in the product) that the manager disposes on disconnect. */
export type ConnectedClient = GenesysApi & vscode.Disposable;
/** Creates the SDK facade for a sandbox URL; sends nothing until checkConnection(). */
export type SandboxClientFactory = (sandboxUrl: string) => ConnectedClient;

/** What the rest of the UI (status bar, exported API) knows about the active connection. */
export interface ConnectionInfo {
  /** Stable id of the connection: recorded in run manifests and history, groups the history tree. */
  readonly id: string;
  readonly kind: 'sandbox' | 'oauth';
  /** Short label for the status bar. */
  readonly label: string;
  /** Region host (e.g. `mypurecloud.ie`) for an OAuth connection to a real org. */
  readonly region?: string;
  /** Marked production by the user: runs ask first (see runGuard.ts). */
  readonly production: boolean;
  /** Base URL of the Genesys Cloud API (for the sandbox: its loopback URL). */
  readonly url: string;
  /** True when the extension started the sandbox itself and stops it on disconnect. */
  readonly startedInProcess: boolean;
  /** Who we are signed in as, from the token / organization endpoints. */
  readonly org: OrgInfo;
}

export interface ConnectionManagerOptions {
  readonly startSandbox: SandboxStarter;
  readonly createClient: SandboxClientFactory;
  readonly log: vscode.LogOutputChannel;
  /** The configured `genesysCloud.sandbox.url`; empty means "start one in-process". */
  readonly configuredSandboxUrl: () => string;
  /** Deadline for starting the in-process sandbox, and separately for signing in. */
  readonly startTimeoutMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;

/**
 * Owns the one active connection. Today that is the built-in sandbox org, started in-process or
 * reached at a configured URL. Connected means: the SDK facade signed in (client credentials) and
 * answered who we are (`checkConnection`), so a wrong URL fails here and not at the first query.
 */
export class ConnectionManager implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<ConnectionInfo | undefined>();
  readonly onDidChange = this._onDidChange.event;

  private _current: ConnectionInfo | undefined;
  private _ownedSandbox: RunningSandbox | undefined;
  private _client: ConnectedClient | undefined;
  private _pending: Promise<ConnectionInfo> | undefined;
  private _disposed = false;

  constructor(private readonly _options: ConnectionManagerOptions) {}

  get current(): ConnectionInfo | undefined {
    return this._current;
  }

  /** The signed-in SDK facade of the active connection, for the query and job runners. */
  get client(): GenesysApi | undefined {
    return this._current ? this._client : undefined;
  }

  /** Connects to the sandbox; concurrent calls share one attempt, and an equivalent connection is reused. */
  connectSandbox(): Promise<ConnectionInfo> {
    if (this._disposed) {
      return Promise.reject(new Error('The Genesys Cloud extension is shutting down'));
    }
    if (this._pending) {
      return this._pending;
    }
    const configured = this._options.configuredSandboxUrl().trim().replace(/\/+$/, '');
    const current = this._current;
    if (current && (configured ? !current.startedInProcess && current.url === configured : current.startedInProcess)) {
      return Promise.resolve(current);
    }
    this._pending = this._connect(configured).finally(() => {
      this._pending = undefined;
    });
    return this._pending;
  }

  async disconnect(): Promise<void> {
    const owned = this._ownedSandbox;
    this._ownedSandbox = undefined;
    this._client?.dispose();
    this._client = undefined;
    this._setCurrent(undefined);
    if (owned) {
      this._options.log.info(`Stopping the in-process sandbox at ${owned.url}`);
      await owned.close();
    }
  }

  private async _connect(configuredUrl: string): Promise<ConnectionInfo> {
    await this.disconnect();
    const timeoutMs = this._options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    let url = configuredUrl;
    if (url) {
      this._options.log.info(`Using the sandbox at ${url} (genesysCloud.sandbox.url)`);
    } else {
      this._options.log.info('Starting the built-in sandbox in-process');
      const sandbox = await withDeadline(this._options.startSandbox(), timeoutMs, 'Starting the sandbox');
      if (this._disposed) {
        await sandbox.close();
        throw new Error('The Genesys Cloud extension is shutting down');
      }
      this._ownedSandbox = sandbox;
      url = sandbox.url;
      this._options.log.info(`Sandbox listening on ${url}`);
    }
    const client = this._options.createClient(url);
    this._client = client;
    try {
      const org = await client.checkConnection(AbortSignal.timeout(timeoutMs));
      if (this._disposed || this._client !== client) {
        throw new Error('The connection was closed while signing in');
      }
      this._options.log.info(`Connected to '${org.orgName}' at ${url}`);
      const info: ConnectionInfo = { id: 'sandbox', kind: 'sandbox', label: 'Sandbox', production: false, url, startedInProcess: !configuredUrl, org };
      this._setCurrent(info);
      return info;
    } catch (err) {
      await this.disconnect();
      throw err;
    }
  }

  private _setCurrent(info: ConnectionInfo | undefined): void {
    if (this._current === info) {
      return;
    }
    this._current = info;
    this._onDidChange.fire(info);
  }

  dispose(): void {
    this._disposed = true;
    const owned = this._ownedSandbox;
    this._ownedSandbox = undefined;
    this._current = undefined;
    this._client?.dispose();
    this._client = undefined;
    this._onDidChange.dispose();
    if (owned) {
      Promise.resolve(owned.close()).catch((err: unknown) => this._options.log.warn(`Stopping the sandbox failed: ${String(err)}`));
    }
  }
}

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
