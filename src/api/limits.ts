/** Limits of the conversation-detail API the engine, the schema and the checks share (genesys-api.md). */

/** Largest page of the synchronous detail query (§1.3). */
export const SYNC_MAX_PAGE_SIZE = 100;
/** Largest page when reading job results (commonly quoted maximum, §2.3). */
export const JOB_MAX_PAGE_SIZE = 1000;
/** Longest interval of a synchronous query, in days (§1.3: ~31 days, the sandbox's default). */
export const SYNC_MAX_INTERVAL_DAYS = 31;
/** Most rows a synchronous query can page through: pageNumber × pageSize (§1.3, [3P]). */
export const SYNC_ROW_CEILING = 100_000;
