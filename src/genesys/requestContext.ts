import { AsyncLocalStorage } from 'node:async_hooks';
import type { GenesysOperation } from './errors';

/**
 * Per-call context for the HTTP layer. The SDK's API methods take no AbortSignal, so the facade runs
 * each SDK call inside `runInRequestContext`; `RetryingHttpClient.request` (called synchronously from
 * the SDK's promise executor, hence inside the same async context) reads the signal and the operation
 * from here. This keeps one shared ApiClient per connection and needs no per-call SDK objects.
 */
export interface RequestContext {
  signal?: AbortSignal;
  operation: GenesysOperation;
  /**
   * The request creates something (a job submission): it is retried only when it provably created
   * nothing (a 429, or a failure before it was sent); any other failure becomes an 'ambiguous' error.
   */
  createsResource?: boolean;
  /** The answer is a job results page: its body is scanned (jobPageScan.ts) rather than parsed. */
  scanJobResults?: boolean;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(context: RequestContext, fn: () => Promise<T>): Promise<T> {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
