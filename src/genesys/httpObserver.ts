import type { GenesysErrorKind, GenesysOperation } from './errors';

/** What the HTTP layer reports; tests and the benchmark count requests with it. */
export type HttpEvent =
  | { type: 'response'; operation: GenesysOperation; method: string; path: string; status: number; durationMs: number; attempt: number }
  | { type: 'failure'; operation: GenesysOperation; method: string; path: string; kind: GenesysErrorKind; durationMs: number; attempt: number }
  | { type: 'retry'; operation: GenesysOperation; method: string; path: string; kind: GenesysErrorKind; status?: number; delayMs: number; attempt: number }
  | { type: 'giveUp'; operation: GenesysOperation; method: string; path: string; kind: GenesysErrorKind; attempt: number };

export interface HttpObserver {
  onHttpEvent(event: HttpEvent): void;
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
