import { createHash } from 'node:crypto';
import type { JobResultsPage } from '../genesys/types';

export interface PageGuardOptions {
  /** Stop after this many consecutive empty pages that still carry a cursor (the gc CLI uses 3). */
  maxEmptyRun: number;
  /** Stop after this many consecutive repeated pages (same cursor back, or byte-identical content). */
  maxRepeatRun: number;
}

export const DEFAULT_PAGE_GUARD: PageGuardOptions = { maxEmptyRun: 3, maxRepeatRun: 3 };

/** Guard state, persisted in the manifest so a resumed walk keeps counting. */
export interface PageGuardState {
  lastPageHash?: string;
  emptyPageRun?: number;
  repeatRun?: number;
}

export type PageVerdict =
  /** Store the page's rows (duplicates are dropped by the writer) and go on with `nextCursor`. */
  | { action: 'continue'; nextCursor: string; repeated: boolean; empty: boolean }
  /** Last page: store its rows and finish. */
  | { action: 'last' }
  /** Store the rows and stop: the server is looping or returning nothing. */
  | { action: 'stop'; reason: string };

/**
 * Defends a cursor walk against servers that loop, like the gc CLI: a page whose cursor is the one we
 * asked with (or whose conversations are those of the previous page, in order) is a repeat; a page with no
 * conversations but a cursor is empty. A few of either are tolerated (the next request is the same or
 * the next cursor, and duplicate rows are dropped by conversationId); a run of them stops the walk.
 */
export class PageGuard {
  private readonly _options: PageGuardOptions;
  private _state: Required<PageGuardState>;

  constructor(options?: Partial<PageGuardOptions>, state?: PageGuardState) {
    this._options = { ...DEFAULT_PAGE_GUARD, ...options };
    this._state = { lastPageHash: state?.lastPageHash ?? '', emptyPageRun: state?.emptyPageRun ?? 0, repeatRun: state?.repeatRun ?? 0 };
  }

  get state(): PageGuardState {
    return { ...this._state };
  }

  inspect(requestedCursor: string | undefined, page: JobResultsPage): PageVerdict {
    const rows = page.rows?.length ?? 0;
    // Same conversationIds in the same order = the same page; hashing ids is ~50x cheaper than the JSON.
    const hash = rows > 0 ? hashIds(page) : '';
    const sameCursor = page.cursor !== undefined && page.cursor === requestedCursor;
    const sameContent = hash !== '' && hash === this._state.lastPageHash;
    const repeated = sameCursor || sameContent;
    const empty = rows === 0;
    this._state.repeatRun = repeated ? this._state.repeatRun + 1 : 0;
    this._state.emptyPageRun = empty && page.cursor ? this._state.emptyPageRun + 1 : 0;
    if (hash !== '') {
      this._state.lastPageHash = hash;
    }
    if (!page.cursor) {
      return { action: 'last' };
    }
    if (this._state.repeatRun >= this._options.maxRepeatRun) {
      return { action: 'stop', reason: `The server returned the same results page ${this._state.repeatRun} times in a row; stopped to avoid an endless loop. The rows fetched so far are kept.` };
    }
    if (this._state.emptyPageRun >= this._options.maxEmptyRun) {
      return { action: 'stop', reason: `The server returned ${this._state.emptyPageRun} empty results pages in a row that still pointed to more; stopped there. The rows fetched so far are kept.` };
    }
    return { action: 'continue', nextCursor: page.cursor, repeated, empty };
  }
}

function hashIds(page: JobResultsPage): string {
  const h = createHash('sha1');
  for (const c of page.rows ?? []) {
    h.update(c.conversationId);
    h.update('\n');
  }
  return h.digest('hex');
}
