import * as vscode from 'vscode';
import type { HistoryEntry } from '../../history/historyEntry';
import type { PageSource } from '../../jobs/syncPager';
import { SyncPager } from '../../jobs/syncPager';
import { SyncQueryRunner } from '../../jobs/syncQueryRunner';
import type { ResultsStore } from '../../results/resultsStore';
import type { ConnectionManager } from '../connection/connectionManager';

/** What the results table needs to fetch further pages of a sync run from Genesys. */
export interface GenesysPagesDeps {
  readonly connections: Pick<ConnectionManager, 'current' | 'client'>;
  /** Fetched pages change the run's row count in the Query History. */
  readonly updateHistory?: (entry: HistoryEntry) => Promise<void>;
}

/**
 * The pager of one run: its fetches go through SyncQueryRunner.fetchPage on the run's own connection (the
 * same validation, messages and client retries as a run). Fetching a page of a query already run is a read,
 * so unlike starting a run it asks no production confirmation.
 */
export function genesysPagerFactory(deps: GenesysPagesDeps, store: ResultsStore, log: vscode.LogOutputChannel): (runId: string) => SyncPager {
  const source = (connectionId: string): PageSource => {
    const info = deps.connections.current;
    const api = deps.connections.client;
    if (!info || !api) {
      throw new Error(vscode.l10n.t('Not connected: sign in to the connection of this run, or try the sandbox, to fetch more pages. The pages already cached stay here.'));
    }
    if (info.id !== connectionId) {
      throw new Error(vscode.l10n.t("This run belongs to the connection '{0}'; connect to it to fetch more pages (the active one is '{1}'). The pages already cached stay here.", connectionId, info.label));
    }
    return new SyncQueryRunner({ api, connectionId, store, logger: log });
  };
  const history = deps.updateHistory ? { upsert: deps.updateHistory } : undefined;
  return (runId) => new SyncPager(runId, { store, source, logger: log, ...(history ? { history } : {}) });
}
