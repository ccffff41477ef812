import * as assert from 'node:assert/strict';
import type { GenesysError } from '../../../src/genesys/errors';
import { isGenesysError } from '../../../src/genesys/errors';
import type { Sandbox, SandboxOptions, DeepPartial } from '../../../src/sandbox';
import { startSandbox } from '../../../src/sandbox';
import { GenesysClient } from '../../../src/genesys/client';
import type { GenesysClientOptions } from '../../../src/genesys/client';
import { HttpMetrics } from '../../../src/genesys/httpObserver';
import type { Connection } from '../../../src/genesys/regions';
import type { RetryPolicyOptions } from '../../../src/genesys/retryPolicy';
import { ResultsStore } from '../../../src/results/resultsStore';

/** Data window of the test sandbox: fixed, so runs are reproducible and all data is "available". */
export const ANCHOR = '2026-01-15T00:00:00.000Z';
export const DAYS = 7;
export const FULL_INTERVAL = `2026-01-08T00:00:00.000Z/${ANCHOR}`;

/** Fast but real retries: short backoff, and 429 waits capped (tests that check Retry-After lift the cap). */
export const FAST_RETRY: Partial<RetryPolicyOptions> = { baseDelayMs: 5, maxDelayMs: 40, rateLimitWaitCapMs: 30, maxAttempts: 8, totalBudgetMs: 30_000 };

export function startTestSandbox(options: DeepPartial<SandboxOptions> = {}): Promise<Sandbox> {
  return startSandbox({ host: '127.0.0.1', port: 0, seed: 7, conversations: 2500, days: DAYS, anchor: ANCHOR, jobQueuedMs: 80, jobRunMs: 150, ...options });
}

export function sandboxConnection(sandbox: Sandbox, clientId = 'sandbox-client'): Connection {
  return { id: 'sandbox', name: 'Sandbox', kind: 'sandbox', sandboxUrl: sandbox.url, clientId };
}

export interface TestClient {
  client: GenesysClient;
  metrics: HttpMetrics;
}

export function makeClient(sandbox: Sandbox, overrides: Partial<GenesysClientOptions> = {}): TestClient {
  const metrics = new HttpMetrics();
  const client = new GenesysClient({
    connection: sandboxConnection(sandbox),
    clientSecret: 'sandbox-secret',
    timeoutMs: 5_000,
    retry: FAST_RETRY,
    observer: metrics,
    ...overrides,
  });
  return { client, metrics };
}

export function makeStore(root: string): ResultsStore {
  return new ResultsStore({ root });
}

/** Every conversationId of a cached run, in stored order. */
export async function storedIds(store: ResultsStore, runId: string): Promise<string[]> {
  const reader = await store.openReader(runId);
  try {
    const ids: string[] = [];
    for await (const batch of reader.iterateRaw(5000)) {
      for (const line of batch) {
        ids.push((JSON.parse(line) as { conversationId: string }).conversationId);
      }
    }
    return ids;
  } finally {
    await reader.close();
  }
}

/** Sorted copy, for set equality with a clear diff on failure. */
export function sorted(ids: readonly string[]): string[] {
  return [...ids].sort();
}

export function resetFaults(sandbox: Sandbox): void {
  sandbox.configure({
    latencyMs: 0,
    faults: { rate429Share: 0, error5xxShare: 0, resetShare: 0, slowShare: 0, malformedJsonShare: 0, failJobs: false, expireJobsAfterPages: 0, repeatPageShare: 0, emptyPageShare: 0, dropJobResponseShare: 0, cutBodyShare: 0 },
  });
  sandbox.resetStats();
}

/** The GenesysError a promise rejects with (fails the test if it resolves or rejects with anything else). */
export async function genesysRejection(p: Promise<unknown>): Promise<GenesysError> {
  try {
    await p;
  } catch (err) {
    assert.ok(isGenesysError(err), `not a GenesysError: ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}
