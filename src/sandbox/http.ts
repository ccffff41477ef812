import type { IncomingMessage } from 'node:http';

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
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;
