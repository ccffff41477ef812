import type { GenesysErrorKind, GenesysOperation } from './errors';

/** What the HTTP layer reports; tests and the benchmark count requests with it. */
export type HttpEvent =
  | { type: 'response'; operation: GenesysOperation; method: string; path: string; status: number; durationMs: number; attempt: number; rateLimit?: RateLimitInfo }
  | { type: 'failure'; operation: GenesysOperation; method: string; path: string; kind: GenesysErrorKind; durationMs: number; attempt: number }
  | { type: 'retry'; operation: GenesysOperation; method: string; path: string; kind: GenesysErrorKind; status?: number; delayMs: number; attempt: number; limit?: number }
  | { type: 'giveUp'; operation: GenesysOperation; method: string; path: string; kind: GenesysErrorKind; attempt: number };

/** The inin-ratelimit-* headers of a response (genesys-api.md §3.2), when all three were present. */
export interface RateLimitInfo {
  allowed: number;
  count: number;
  resetSeconds: number;
}

export interface HttpObserver {
  onHttpEvent(event: HttpEvent): void;
}

/** Reads the inin-ratelimit-* headers (lower-cased names); undefined unless all three are numbers. */
export function rateLimitInfo(headers: Record<string, unknown>): RateLimitInfo | undefined {
  const num = (name: string): number => Number(headers[name]);
  const info = { allowed: num('inin-ratelimit-allowed'), count: num('inin-ratelimit-count'), resetSeconds: num('inin-ratelimit-reset') };
  return Number.isFinite(info.allowed) && Number.isFinite(info.count) && Number.isFinite(info.resetSeconds) && headers['inin-ratelimit-allowed'] !== undefined ? info : undefined;
}

/** Fans one client's events out to listeners that come and go (e.g. a split run's concurrency policy). */
export class HttpEventHub implements HttpObserver {
  private readonly _listeners = new Set<(event: HttpEvent) => void>();

  constructor(private readonly _next?: HttpObserver) {}

  onHttpEvent(event: HttpEvent): void {
    this._next?.onHttpEvent(event);
    for (const l of this._listeners) {
      l(event);
    }
  }

  /** Adds a listener; the returned function removes it. */
  listen(listener: (event: HttpEvent) => void): () => void {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }
}

/** Counts requests (attempts that reached the wire), retries and time spent waiting. */
export class HttpMetrics implements HttpObserver {
  requests = 0;
  retries = 0;
  rateLimitRetries = 0;
  waitedMs = 0;
  failures = 0;
  readonly byStatus = new Map<number, number>();
  readonly byOperation = new Map<string, number>();

  onHttpEvent(event: HttpEvent): void {
    switch (event.type) {
      case 'response':
        this.requests++;
        this.byStatus.set(event.status, (this.byStatus.get(event.status) ?? 0) + 1);
        this.byOperation.set(event.operation, (this.byOperation.get(event.operation) ?? 0) + 1);
        break;
      case 'failure':
        this.requests++;
        this.failures++;
        this.byOperation.set(event.operation, (this.byOperation.get(event.operation) ?? 0) + 1);
        break;
      case 'retry':
        this.retries++;
        this.waitedMs += event.delayMs;
        if (event.kind === 'rateLimited') {
          this.rateLimitRetries++;
        }
        break;
      case 'giveUp':
        break;
    }
  }

  reset(): void {
    this.requests = 0;
    this.retries = 0;
    this.rateLimitRetries = 0;
    this.waitedMs = 0;
    this.failures = 0;
    this.byStatus.clear();
    this.byOperation.clear();
  }
}
