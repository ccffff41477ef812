import type * as vscode from 'vscode';
import type { Logger } from '../../common/logger';
import { NameDirectory } from '../../genesys/nameDirectory';
import type { NamedEntity } from '../../genesys/types';
import type { IdKind, NameResolver } from '../../results/view/viewTypes';
import type { ConnectionManager } from './connectionManager';

/**
 * Names for IDs from the active connection's lists (queues, users, wrap-up codes, divisions), one cached
 * NameDirectory per connection, dropped when the connection changes (a restarted sandbox is a new org).
 * With no connection the map is empty and the table shows IDs.
 */
export class ConnectionNames implements NameResolver, vscode.Disposable {
  private _current: { id: string; directory: NameDirectory } | undefined;
  private readonly _subscription: vscode.Disposable;

  constructor(
    private readonly _connections: ConnectionManager,
    private readonly _logger: Logger,
  ) {
    this._subscription = _connections.onDidChange(() => {
      this._current = undefined;
    });
  }

  async names(kind: IdKind, ids: readonly string[], signal?: AbortSignal): Promise<ReadonlyMap<string, string>> {
    return (await this._directory()?.names(kind, ids, signal)) ?? new Map();
  }

  /** Every entity of a kind, sorted by name (pickers such as "queue picked by name"); empty when disconnected. */
  async list(kind: IdKind, signal?: AbortSignal): Promise<readonly NamedEntity[]> {
    return (await this._directory()?.list(kind, signal)) ?? [];
  }

  private _directory(): NameDirectory | undefined {
    const api = this._connections.client;
    const id = this._connections.current?.id;
    if (!api || !id) {
      return undefined;
    }
    if (this._current?.id !== id) {
      this._current = { id, directory: new NameDirectory({ api, logger: this._logger }) };
    }
    return this._current.directory;
  }

  dispose(): void {
    this._subscription.dispose();
    this._current = undefined;
  }
}
