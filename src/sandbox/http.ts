import type { IncomingMessage } from 'node:http';
import { Errors } from './errors';

/** What a route handler sees. */
export interface RequestContext {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body (POST/PATCH with a body), else undefined. */
  body: unknown;
  rawBody: Buffer;
  /** Client id behind the bearer token (API routes only). */
  clientId?: string;
  token?: string;
  now: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Least time the server takes for this request, latency aside (a results page's data-lake time,
   * `resultsPageMsPer1000`). The handler's own CPU time counts towards it, so a page the sandbox
   * builds faster than it pretends costs no extra wall time.
   */
  serviceMs?: number;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

/** An integer query parameter in 1..max (`def` when absent); anything else is 400 naming the parameter. */
export function queryInt(q: URLSearchParams, name: string, def: number, max: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') {
    return def;
  }
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw Errors.badRequest(`${name} must be an integer between 1 and ${max}; got ${raw}.`, name);
  }
  return n;
}
