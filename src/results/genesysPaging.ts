// Plain data, no Node imports: the webview bundle imports this type through the protocol.
/** What the results table's pager needs to page a sync run the way Genesys does (plain data: it crosses to the webview). */
export interface GenesysPaging {
  /** The run's page size: Genesys pages are this size, so the pager's is too. */
  readonly pageSize: number;
  /** The query's totalHits as Genesys last reported it. */
  readonly totalHits: number;
  /** Rows the pager can reach: totalHits, capped at the sync query's deep-paging limit (whole pages). */
  readonly reachableRows: number;
  /** Page numbers already in the cache (never fetched again). */
  readonly cachedPages: readonly number[];
  /** Conversations in the cache. */
  readonly cachedRows: number;
  /** Set when totalHits is past the deep-paging limit: the runner's advice (async job, split interval). */
  readonly capWarning?: string;
}
