import * as vscode from 'vscode';

/** A sandbox the extension started in its own process (see src/sandbox); closed when disconnected. */
export interface RunningSandbox {
  readonly url: string;
  close(): Promise<void> | void;
}

export type SandboxStarter = () => Promise<RunningSandbox>;

/** What the rest of the UI (status bar, exported API) knows about the active connection. */
export interface ConnectionInfo {
  readonly kind: 'sandbox';
  /** Short label for the status bar. */
  readonly label: string;
  /** Base URL of the Genesys Cloud API (for the sandbox: its loopback URL). */
  readonly url: string;
  /** True when the extension started the sandbox itself and stops it on disconnect. */
  readonly startedInProcess: boolean;
}

export interface ConnectionManagerOptions {
  readonly startSandbox: SandboxStarter;
  readonly log: vscode.LogOutputChannel;
  /** The configured `genesysCloud.sandbox.url`; empty means "start one in-process". */
  readonly configuredSandboxUrl: () => string;
  /** Deadline for starting the in-process sandbox. */
  readonly startTimeoutMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;

/**
 * Owns the one active connection. Today that is the built-in sandbox org, started in-process or
 * reached at a configured URL.
 *
 * TODO(lead): once the query engine's facade over the Genesys SDK lands in src/genesys, "connected"
 * should mean a client-credentials token from that URL plus `GET /api/v2/organizations/me` through
 * the facade (the org name then becomes the status bar label). Until then the sandbox URL is the
 * connection: no Genesys call is made here, and none may bypass the SDK.
 */
export class ConnectionManager implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<ConnectionInfo | undefined>();
  readonly onDidChange = this._onDidChange.event;

  private _current: ConnectionInfo | undefined;
  private _ownedSandbox: RunningSandbox | undefined;
  private _pending: Promise<ConnectionInfo> | undefined;
  private _disposed = false;

  constructor(private readonly _options: ConnectionManagerOptions) {}

  get current(): ConnectionInfo | undefined {
    return this._current;
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
    this._setCurrent(undefined);
    if (owned) {
      this._options.log.info(`Stopping the in-process sandbox at ${owned.url}`);
      await owned.close();
    }
  }

  private async _connect(configuredUrl: string): Promise<ConnectionInfo> {
    await this.disconnect();
    let info: ConnectionInfo;
    if (configuredUrl) {
      this._options.log.info(`Using the sandbox at ${configuredUrl} (genesysCloud.sandbox.url)`);
      info = { kind: 'sandbox', label: 'Sandbox', url: configuredUrl, startedInProcess: false };
    } else {
      this._options.log.info('Starting the built-in sandbox in-process');
      const sandbox = await withDeadline(
        this._options.startSandbox(),
        this._options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
        'Starting the sandbox',
      );
      if (this._disposed) {
        await sandbox.close();
        throw new Error('The Genesys Cloud extension is shutting down');
      }
      this._ownedSandbox = sandbox;
      info = { kind: 'sandbox', label: 'Sandbox', url: sandbox.url, startedInProcess: true };
      this._options.log.info(`Sandbox listening on ${sandbox.url}`);
    }
    this._setCurrent(info);
    return info;
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
