import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import type { IdKind, NameResolver } from '../results/view/viewTypes';
import type { GenesysApi } from './genesysApi';
import { raceSignal } from './raceSignal';
import type { EntityPage, ListPaging, NamedEntity } from './types';

export interface NameDirectoryOptions {
  /** The list calls of ONE connection: a directory caches per connection, so make one per connection. */
  api: Pick<GenesysApi, 'listQueues' | 'listUsers' | 'listWrapUpCodes' | 'listDivisions'>;
  /** Page size of the list calls (1..500); default 500, the fewest requests. */
  pageSize?: number;
  /** At most this many pages per kind are fetched (a bound for huge orgs); default 40 (20,000 at 500). */
  maxPages?: number;
  logger?: Logger;
}

type Lister = (paging: ListPaging, signal?: AbortSignal) => Promise<EntityPage>;

/**
 * IDs to names for one connection's queues, users, wrap-up codes and divisions: each list is fetched
 * once, all pages (bounded by `maxPages`), on first use; concurrent callers share one load, and a load
 * that failed is forgotten so the next call tries again. `list(kind)` serves pickers ("queue by name").
 * vscode-free: the VS Code layer makes one per connection and drops it (or calls `invalidate`) when the
 * connection changes.
 */
export class NameDirectory implements NameResolver {
  private readonly _listers: Record<IdKind, Lister>;
  private readonly _pageSize: number;
  private readonly _maxPages: number;
  private readonly _logger: Logger;
  private readonly _loads = new Map<IdKind, Promise<ReadonlyMap<string, string>>>();
  private readonly _lists = new Map<IdKind, readonly NamedEntity[]>();

  constructor(options: NameDirectoryOptions) {
    const api = options.api;
    this._listers = {
      queue: (p, s) => api.listQueues(p, s),
      user: (p, s) => api.listUsers(p, s),
      wrapupcode: (p, s) => api.listWrapUpCodes(p, s),
      division: (p, s) => api.listDivisions(p, s),
    };
    this._pageSize = options.pageSize ?? 500;
    this._maxPages = options.maxPages ?? 40;
    this._logger = options.logger ?? silentLogger;
  }

  /** Names of `ids` that exist (unknown ids are absent from the map). Rejects with GenesysError. */
  async names(kind: IdKind, ids: readonly string[], signal?: AbortSignal): Promise<ReadonlyMap<string, string>> {
    const all = await this._load(kind, signal);
    const out = new Map<string, string>();
    for (const id of ids) {
      const name = all.get(id);
      if (name !== undefined) {
        out.set(id, name);
      }
    }
    return out;
  }

  /** Every entity of `kind` (id and name), sorted by name, for pickers. */
  async list(kind: IdKind, signal?: AbortSignal): Promise<readonly NamedEntity[]> {
    await this._load(kind, signal);
    return this._lists.get(kind) ?? [];
  }

  /** Forgets the cached list of `kind` (or of every kind), so the next call fetches it again. */
  invalidate(kind?: IdKind): void {
    if (kind) {
      this._loads.delete(kind);
      this._lists.delete(kind);
    } else {
      this._loads.clear();
      this._lists.clear();
    }
  }

  private _load(kind: IdKind, signal: AbortSignal | undefined): Promise<ReadonlyMap<string, string>> {
    let load = this._loads.get(kind);
    if (!load) {
      // Shared by every caller, so not bound to any one caller's signal (each races its own below).
      load = this._fetchAll(kind);
      this._loads.set(kind, load);
      load.catch(() => {
        if (this._loads.get(kind) === load) {
          this._loads.delete(kind);
        }
      });
    }
    return raceSignal(load, signal);
  }

  private async _fetchAll(kind: IdKind): Promise<ReadonlyMap<string, string>> {
    const entities: NamedEntity[] = [];
    const lister = this._listers[kind];
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await lister({ pageSize: this._pageSize, pageNumber });
      entities.push(...page.entities);
      const pageCount = page.pageCount ?? (page.total !== undefined ? Math.ceil(page.total / page.pageSize) : undefined);
      const last = page.entities.length === 0 || (pageCount !== undefined ? pageNumber >= pageCount : page.entities.length < page.pageSize);
      if (last) {
        break;
      }
      if (pageNumber >= this._maxPages) {
        this._logger.warn(`Names: only the first ${entities.length} ${kind}(s) were loaded (${this._maxPages} pages); others show as IDs.`);
        break;
      }
    }
    const byId = new Map<string, string>();
    for (const e of entities) {
      byId.set(e.id, e.name);
    }
    this._lists.set(kind, [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)));
    return byId;
  }
}
