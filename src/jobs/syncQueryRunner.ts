import { systemClock } from '../common/clock';
import type { Clock } from '../common/clock';
import { newRunId } from '../common/ids';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { classifyError } from '../genesys/errors';
import type { GenesysError } from '../genesys/errors';
import type { ConversationQueryBody, ConversationRecord } from '../genesys/types';
import type { RunWriter } from '../results/runWriter';
import { validatePageNumber, validateSyncPageSize, validateSyncQuery } from './queryValidation';
import { RunContext } from './runContext';
import type { RunHandle, RunnerDeps, RunOptions, RunOutcome } from './runTypes';

/** The sync query cannot page past this many results (genesys-api.md §1.3). */
export const DEEP_PAGING_CAP = 100_000;

export interface SyncQueryRunnerOptions extends RunnerDeps {
  /** Page size when the body has no `paging`; default 100 (setting `genesysCloud.query.pageSize`). */
  defaultPageSize?: number;
  /** Highest pageNumber × pageSize the server serves; default 100,000. */
  deepPagingCap?: number;
}

/** One page of a sync query, for the results table's pager. */
export interface SyncPageResult {
  conversations: ConversationRecord[];
  pageNumber: number;
  pageSize: number;
  totalHits?: number;
  /** Whether a next page may exist (within the deep-paging cap). */
  hasMore: boolean;
  /** Set when more results exist than the sync query can page through. */
  warning?: string;
}

/**
 * The synchronous detail query: validated before sending (no request for a bad body), one page on
 * demand, or every page into the results cache — stopping on an empty or short page, at totalHits,
 * or at the deep-paging cap (with advice to use an async job).
 */
export class SyncQueryRunner {
  private readonly _o: SyncQueryRunnerOptions;
  private readonly _clock: Clock;
  private readonly _logger: Logger;
  private readonly _cap: number;
  private readonly _defaultPageSize: number;

  constructor(options: SyncQueryRunnerOptions) {
    this._o = options;
    this._clock = options.clock ?? systemClock;
    this._logger = options.logger ?? silentLogger;
    this._cap = options.deepPagingCap ?? DEEP_PAGING_CAP;
    this._defaultPageSize = validateSyncPageSize(options.defaultPageSize ?? 100);
  }

  /**
   * Fetches one page. `pageNumber` (1-based) overrides the body's; throws GenesysError — 'invalidQuery'
   * before any request for a bad body, page size or page number.
   */
  async fetchPage(body: unknown, pageNumber?: number, signal?: AbortSignal): Promise<SyncPageResult> {
    const query = validateSyncQuery(body);
    const pageSize = query.paging?.pageSize ?? this._defaultPageSize;
    const number = validatePageNumber(pageNumber ?? query.paging?.pageNumber ?? 1);
    const page = await this._o.api.querySync({ ...query, paging: { pageSize, pageNumber: number } }, signal);
    const conversations = page.conversations ?? [];
    const reachable = (number + 1) * pageSize <= this._cap;
    const more = conversations.length === pageSize && (page.totalHits === undefined || number * pageSize < page.totalHits);
    return {
      conversations,
      pageNumber: number,
      pageSize,
      ...(page.totalHits !== undefined ? { totalHits: page.totalHits } : {}),
      hasMore: more && reachable,
      ...(page.totalHits !== undefined && page.totalHits > this._cap ? { warning: capWarning(page.totalHits, this._cap) } : {}),
    };
  }

  /**
   * Validates `body` (throws synchronously, sending nothing), then fetches every page from the body's
   * pageNumber (default 1) into a new cached run in the background.
   */
  runAll(body: unknown, options: RunOptions = {}): RunHandle {
    const query = validateSyncQuery(body);
    const runId = newRunId();
    const ctx = new RunContext({ runId, kind: 'query', options, clock: this._clock, logger: this._logger, store: this._o.store, history: this._o.history });
    const result = ctx.guard(async () => {
      const pageSize = query.paging?.pageSize ?? this._defaultPageSize;
      const writer = await this._o.store.create({ runId, kind: 'query', connectionId: this._o.connectionId, body: query, pageSize, ...(options.sourceFile ? { sourceFile: options.sourceFile } : {}) });
      ctx.attach(writer);
      try {
        await writer.update({ nextPageNumber: query.paging?.pageNumber ?? 1 });
        await ctx.syncHistory();
        return await this._walk(ctx, writer, query, pageSize);
      } catch (err) {
        return await this._onError(ctx, writer, classifyError(err, 'querySync'));
      } finally {
        await writer.close();
      }
    });
    return { runId, result };
  }

  private async _walk(ctx: RunContext, writer: RunWriter, query: ConversationQueryBody, pageSize: number): Promise<RunOutcome> {
    let pageNumber = writer.manifest.nextPageNumber ?? 1;
    let warnedCap = false;
    for (;;) {
      if (pageNumber * pageSize > this._cap) {
        return this._finish(ctx, writer, 'PARTIAL', true);
      }
      let page;
      try {
        page = await this._o.api.querySync({ ...query, paging: { pageSize, pageNumber } }, ctx.signal);
      } catch (err) {
        const e = classifyError(err, 'querySync');
        // The server's own ceiling may be lower than ours: keep what we have, with the same advice.
        if (e.kind === 'invalidQuery' && pageNumber > 1 && /pagination|exceed|results/i.test(e.serverMessage ?? '')) {
          await ctx.warn(capWarning(writer.manifest.totalHits, (pageNumber - 1) * pageSize));
          return this._finish(ctx, writer, 'PARTIAL', true);
        }
        throw e;
      }
      const rows = page.conversations ?? [];
      const totalHits = page.totalHits ?? writer.manifest.totalHits;
      if (!warnedCap && totalHits !== undefined && totalHits > this._cap) {
        warnedCap = true;
        await ctx.warn(capWarning(totalHits, this._cap));
      }
      await writer.appendPage(rows, {
        pages: writer.manifest.pages + 1,
        nextPageNumber: pageNumber + 1,
        ...(totalHits !== undefined ? { totalHits } : {}),
      });
      ctx.progress({ type: 'page', runId: ctx.runId, pages: writer.manifest.pages, rowCount: writer.rowCount, elapsedMs: ctx.elapsed(), ...(totalHits !== undefined ? { totalHits } : {}) });
      ctx.maybeSyncHistory();
      // A missing/empty or short page is the last; so is reaching totalHits (saves one request).
      if (rows.length < pageSize || (totalHits !== undefined && pageNumber * pageSize >= totalHits)) {
        return this._finish(ctx, writer, 'FULFILLED', false);
      }
      pageNumber++;
    }
  }

  private async _onError(ctx: RunContext, writer: RunWriter, error: GenesysError): Promise<RunOutcome> {
    if (error.kind === 'cancelled') {
      return this._finish(ctx, writer, 'CANCELLED', true);
    }
    return ctx.fail(writer, error);
  }

  private async _finish(ctx: RunContext, writer: RunWriter, state: 'FULFILLED' | 'PARTIAL' | 'CANCELLED', partial: boolean): Promise<RunOutcome> {
    await writer.update({ state, partial });
    await ctx.syncHistory();
    return ctx.outcomeFrom(writer.manifest, writer.dir);
  }
}

export function capWarning(totalHits: number | undefined, cap: number): string {
  const what = totalHits !== undefined ? `matches ${totalHits.toLocaleString('en-US')} conversations, but the` : 'has more results than the';
  return `This query ${what} synchronous query can page through only the first ${cap.toLocaleString('en-US')}. Run it as an async job to get all of them, or split the interval into smaller ones.`;
}
