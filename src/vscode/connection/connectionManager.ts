import * as vscode from 'vscode';
import type { GenesysApi } from '../../genesys/genesysApi';
import type { Connection } from '../../genesys/regions';
import type { OrgInfo } from '../../genesys/types';

/** A sandbox the extension started in its own process (see src/sandbox); closed when disconnected. */
export interface RunningSandbox {
  readonly url: string;
  close(): Promise<void> | void;
}

export type SandboxStarter = () => Promise<RunningSandbox>;

/** A signed-in SDK client (src/genesys GenesysClient in the product) that the manager disposes on disconnect. */
export type ConnectedClient = GenesysApi & vscode.Disposable;
/**
 * Creates the SDK facade for a connection and its secret; sends nothing until checkConnection().
 * `quick`: for an interactive check the user waits on, retry little so a wrong host fails fast.
 */
export type ClientFactory = (connection: Connection, clientSecret: string, options?: { quick?: boolean }) => ConnectedClient;

/** What the rest of the UI (status bar, runners, history, exported API) knows about the active connection. */
export interface ConnectionInfo {
  /** Stable id of the connection: recorded in run manifests and history, groups the history tree. */
  readonly id: string;
  /** 'sandbox': the built-in sandbox org; 'oauth': a saved, signed-in connection (a real org or a sandbox at a URL). */
  readonly kind: 'sandbox' | 'oauth';
  /** The connection's name, for the status bar and pickers. */
  readonly label: string;
  /** Region host (e.g. `mypurecloud.ie`) of a real org; absent for sandboxes. */
  readonly region?: string;
  /** Marked production by the user: runs ask first (see runGuard.ts). */
  readonly production: boolean;
  /** Base URL of the API (`https://api.mypurecloud.ie`, or a sandbox's loopback URL). */
  readonly url: string;
  /** True when the extension started the sandbox itself and stops it on disconnect. */
  readonly startedInProcess: boolean;
  /** Who we are signed in as, from the token / organization endpoints. */
  readonly org: OrgInfo;
}

/** A saved connection to make active: its facade description, secret and UI fields. */
export interface OAuthConnectRequest {
  readonly connection: Connection;
  readonly clientSecret: string;
  readonly production: boolean;
}

export interface ConnectionManagerOptions {
  readonly startSandbox: SandboxStarter;
  readonly createClient: ClientFactory;
  /** Credentials of the built-in sandbox org (not secrets: the emulator's documented defaults). */
  readonly sandboxCredentials: () => { clientId: string; clientSecret: string };
  readonly log: vscode.LogOutputChannel;
  /** The configured `genesysCloud.sandbox.url`; empty means "start one in-process". */
  readonly configuredSandboxUrl: () => string;
  /** Deadline for starting the in-process sandbox, and separately for signing in. */
  readonly startTimeoutMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
export const SANDBOX_CONNECTION_ID = 'sandbox';

/**
 * Owns the one active connection of this window: the built-in sandbox (started in-process or at the
 * configured URL) or a saved OAuth connection. Connected means: the SDK facade signed in (client
 * credentials) and answered who we are (`checkConnection`), so a wrong secret fails here and not at the
 * first query. Connection attempts run one at a time; the latest request wins.
 */
export class ConnectionManager implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<ConnectionInfo | undefined>();
  /** Fires with the new active connection (undefined when disconnected), and when its flags change. */
  readonly onDidChange = this._onDidChange.event;

  private _current: ConnectionInfo | undefined;
  private _ownedSandbox: RunningSandbox | undefined;
  private _client: ConnectedClient | undefined;
  private _pendingSandbox: Promise<ConnectionInfo> | undefined;
  private _queue: Promise<unknown> = Promise.resolve();
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
      return Promise.reject(shuttingDown());
    }
    if (this._pendingSandbox) {
      return this._pendingSandbox;
    }
    const configured = this._options.configuredSandboxUrl().trim().replace(/\/+$/, '');
    const current = this._current;
    if (current?.kind === 'sandbox' && (configured ? !current.startedInProcess && current.url === configured : current.startedInProcess)) {
      return Promise.resolve(current);
    }
    this._pendingSandbox = this._serialize(() => this._connectSandbox(configured)).finally(() => {
      this._pendingSandbox = undefined;
    });
    return this._pendingSandbox;
  }

  /** Signs in to a saved OAuth connection and makes it active; the previous one is closed only once that worked. */
  connectOAuth(request: OAuthConnectRequest): Promise<ConnectionInfo> {
    if (this._disposed) {
      return Promise.reject(shuttingDown());
    }
    return this._serialize(async () => {
      const { connection } = request;
      const client = this._options.createClient(connection, request.clientSecret);
      const url = urlOf(connection);
      // Sign in before closing the previous connection, so a failed switch leaves the old one working.
      const org = await this._signIn(client, url);
      // Swap in one step: listeners see the new connection, never a disconnected moment in between.
      const previous = this._detach();
      const info: ConnectionInfo = {
        id: connection.id,
        kind: 'oauth',
        label: connection.name,
        ...(connection.kind === 'region' && connection.region ? { region: connection.region } : {}),
        production: request.production,
        url,
        startedInProcess: false,
        org,
      };
      this._client = client;
      this._options.log.info(`Connected to '${org.orgName}' at ${url} as connection '${connection.name}'`);
      this._setCurrent(info);
      await this._stopSandbox(previous);
      return info;
    });
  }

  /** Updates the active connection's flags (production, name) without reconnecting. */
  updateCurrent(id: string, patch: { production?: boolean; label?: string }): void {
    const current = this._current;
    if (!current || current.id !== id) {
      return;
    }
    this._setCurrent({ ...current, ...(patch.production !== undefined ? { production: patch.production } : {}), ...(patch.label ? { label: patch.label } : {}) });
  }

  /** Closes the active connection (if `id` is given, only when it is the active one). */
  disconnect(id?: string): Promise<void> {
    if (id !== undefined && this._current?.id !== id) {
      return Promise.resolve();
    }
    return this._serialize(() => this._close());
  }

  /** Runs connection changes one after another, so a sign-in never interleaves with a switch. */
  private _serialize<T>(work: () => Promise<T>): Promise<T> {
    const run = this._queue.then(work, work);
    this._queue = run.catch(() => undefined);
    return run;
  }

  private async _connectSandbox(configuredUrl: string): Promise<ConnectionInfo> {
    await this._close();
    const timeoutMs = this._options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    let url = configuredUrl;
    if (url) {
      this._options.log.info(`Using the sandbox at ${url} (genesysCloud.sandbox.url)`);
    } else {
      this._options.log.info('Starting the built-in sandbox in-process');
      const sandbox = await withDeadline(this._options.startSandbox(), timeoutMs, 'Starting the sandbox');
      if (this._disposed) {
        await sandbox.close();
        throw shuttingDown();
      }
      this._ownedSandbox = sandbox;
      url = sandbox.url;
      this._options.log.info(`Sandbox listening on ${url}`);
    }
    const { clientId, clientSecret } = this._options.sandboxCredentials();
    const client = this._options.createClient({ id: SANDBOX_CONNECTION_ID, name: 'Sandbox', kind: 'sandbox', sandboxUrl: url, clientId }, clientSecret);
    let org: OrgInfo;
    try {
      org = await this._signIn(client, url);
    } catch (err) {
      await this._close();
      throw err;
    }
    this._client = client;
    this._options.log.info(`Connected to '${org.orgName}' at ${url}`);
    const info: ConnectionInfo = { id: SANDBOX_CONNECTION_ID, kind: 'sandbox', label: 'Sandbox', production: false, url, startedInProcess: !configuredUrl, org };
    this._setCurrent(info);
    return info;
  }

  /** Signs the client in and asks who we are; on failure the client is released. */
  private async _signIn(client: ConnectedClient, url: string): Promise<OrgInfo> {
    const timeoutMs = this._options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    try {
      const org = await client.checkConnection(AbortSignal.timeout(timeoutMs));
      if (this._disposed) {
        throw shuttingDown();
      }
      return org;
    } catch (err) {
      client.dispose();
      this._options.log.warn(`Signing in at ${url} failed: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  private async _close(): Promise<void> {
    const owned = this._detach();
    this._setCurrent(undefined);
    await this._stopSandbox(owned);
  }

  /** Releases the client and hands back the owned sandbox (to stop), leaving `current` to the caller. */
  private _detach(): RunningSandbox | undefined {
    const owned = this._ownedSandbox;
    this._ownedSandbox = undefined;
    this._client?.dispose();
    this._client = undefined;
    return owned;
  }

  private async _stopSandbox(owned: RunningSandbox | undefined): Promise<void> {
    if (owned) {
      this._options.log.info(`Stopping the in-process sandbox at ${owned.url}`);
      await owned.close();
    }
  }

  private _setCurrent(info: ConnectionInfo | undefined): void {
    if (this._current === info) {
      return;
    }
    this._current = info;
    if (!this._disposed) {
      this._onDidChange.fire(info);
    }
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

function shuttingDown(): Error {
  return new Error('The Genesys Cloud extension is shutting down');
}

/** The API base URL of a connection, for display and run manifests. */
export function urlOf(connection: Connection): string {
  if (connection.kind === 'sandbox') {
    return (connection.sandboxUrl ?? '').replace(/\/+$/, '');
  }
  return `https://api.${connection.region ?? ''}`;
}

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
