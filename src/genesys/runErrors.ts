import { GenesysError } from './errors';

/**
 * The job submission may have created a job: it was sent, but its answer was lost or unusable
 * (`failure` says how). Not retried, so it is never sent twice without the user's say.
 */
export function ambiguousSubmissionError(failure: GenesysError, how?: string): GenesysError {
  how ??= failure.status !== undefined ? `HTTP ${failure.status}${failure.code ? ` ${failure.code}` : ''}` : failure.errno ?? failure.code ?? failure.kind;
  return new GenesysError({
    kind: 'ambiguous',
    status: failure.status,
    code: failure.code,
    errno: failure.errno,
    serverMessage: failure.serverMessage,
    correlationId: failure.correlationId,
    contextId: failure.contextId,
    cause: failure,
    message: `The job was sent to Genesys Cloud but no usable answer came back (${how}), so a job may have been created. It was not sent again. Retry would submit the job again and may create a second job.`,
  });
}

/**
 * A job whose results expired: when (Genesys' expirationDate, when known), how many rows fetched before
 * are kept, and that Re-fetch submits the same body again as a new job.
 */
export function expiredJobError(info: { expirationDate?: string; rowCount: number; jobId?: string; cause?: unknown }): GenesysError {
  const when = info.expirationDate ? ` at ${info.expirationDate}` : '';
  const kept =
    info.rowCount > 0
      ? `The ${info.rowCount.toLocaleString('en-US')} row(s) fetched before that are kept and marked partial.`
      : 'Its results expired before the first page was fetched, so no rows were kept.';
  return new GenesysError({
    kind: 'expired',
    code: 'job.expired',
    cause: info.cause,
    message: `The job${info.jobId ? ` ${info.jobId}` : ''} expired${when}. ${kept} Re-fetch re-submits the job to get ${info.rowCount > 0 ? 'all of them' : 'its results'}.`,
  });
}
