import { systemClock } from '../../common/clock';
import { newRunId } from '../../common/ids';
import type { Logger } from '../../common/logger';
import { classifyError } from '../../genesys/errors';
import { validatePageNumber, validateSyncPageSize, validateSyncQuery } from '../../jobs/queryValidation';
import { RunContext } from '../../jobs/runContext';
import type { RunHandle, RunnerDeps, RunOptions } from '../../jobs/runTypes';
import type { SyncQueryRunner } from '../../jobs/syncQueryRunner';

/**
 * One page of a sync query as a cached run, so it is listed in history and opens like any other run.
 * Validates synchronously (sends nothing for a bad body, page size or page number), like runAll.
 */
export function runOnePage(
  runner: SyncQueryRunner,
  deps: RunnerDeps & { logger: Logger },
  body: unknown,
  page: { pageSize: number; pageNumber: number },
  options: RunOptions = {},
): RunHandle {
  const query = validateSyncQuery(body);
  const pageSize = validateSyncPageSize(page.pageSize);
  const pageNumber = validatePageNumber(page.pageNumber);
  const paged = { ...query, paging: { pageSize, pageNumber } };
  const runId = newRunId();
  const ctx = new RunContext({ runId, kind: 'query', options, clock: deps.clock ?? systemClock, logger: deps.logger, store: deps.store, history: deps.history });
  const result = ctx.guard(async () => {
    const writer = await deps.store.create({ runId, kind: 'query', connectionId: deps.connectionId, body: paged, pageSize, ...(options.sourceFile ? { sourceFile: options.sourceFile } : {}) });
    ctx.attach(writer);
    try {
      await writer.update({ nextPageNumber: pageNumber });
      await ctx.syncHistory();
      const got = await runner.fetchPage(paged, pageNumber, ctx.signal);
      await writer.appendPage(got.conversations, { pages: 1, nextPageNumber: pageNumber + 1, ...(got.totalHits !== undefined ? { totalHits: got.totalHits } : {}) });
      ctx.progress({ type: 'page', runId, pages: 1, rowCount: writer.rowCount, elapsedMs: ctx.elapsed(), ...(got.totalHits !== undefined ? { totalHits: got.totalHits } : {}) });
      if (got.warning) {
        await ctx.warn(got.warning);
      }
      await writer.update({ state: 'FULFILLED', partial: false });
      await ctx.syncHistory();
      return ctx.outcomeFrom(writer.manifest, writer.dir);
    } catch (err) {
      const error = classifyError(err, 'querySync');
      if (error.kind === 'cancelled') {
        await writer.update({ state: 'CANCELLED', partial: writer.rowCount > 0 });
        await ctx.syncHistory();
        return ctx.outcomeFrom(writer.manifest, writer.dir);
      }
      return ctx.fail(writer, error);
    } finally {
      await writer.close();
    }
  });
  return { runId, result };
}
