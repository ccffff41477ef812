import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import * as pc from 'purecloud-platform-client-v2';
import { startSandbox, type DeepPartial, type Sandbox, type SandboxOptions } from '../../../src/sandbox';

/** A fixed anchor so every test sees the same data whatever the wall clock says. */
export const ANCHOR = '2026-03-04T12:00:00.000Z';
export const ANCHOR_MS = Date.parse(ANCHOR);
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** Small data and fast jobs: the whole suite must stay quick. */
export function fastOptions(extra: DeepPartial<SandboxOptions> = {}): DeepPartial<SandboxOptions> {
  return { conversations: 2000, days: 7, anchor: ANCHOR, jobQueuedMs: 20, jobRunMs: 50, rateLimitPerMinute: 0, availabilityLagSeconds: 0, ...extra };
}

export async function start(extra: DeepPartial<SandboxOptions> = {}): Promise<Sandbox> {
  return startSandbox(fastOptions(extra));
}

export interface Sdk {
  client: pc.ApiClientClass;
  analytics: pc.AnalyticsApi;
}

/** The official SDK aimed at the sandbox, exactly as the extension configures it. */
export async function sdk(sb: Sandbox, secret = 'sandbox-secret'): Promise<Sdk> {
  const client = new pc.ApiClientClass();
  // Never let ~/.genesyscloudjavascript/config re-point the gateway mid-test (genesys-api.md §5.1).
  client.config.live_reload_config = false;
  client.setGateway({ host: '127.0.0.1', port: sb.port, protocol: 'http' });
  await client.loginClientCredentialsGrant('sandbox-client', secret);
  return { client, analytics: new pc.AnalyticsApi(client) };
}

export function interval(fromMs: number, toMs: number): string {
  return `${new Date(fromMs).toISOString()}/${new Date(toMs).toISOString()}`;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

/** Plain HTTP, for what the SDK hides (headers, raw bodies, bad requests it would never send). */
export function raw(sb: Sandbox, method: string, path: string, opts: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: sb.port, method, path, headers: opts.headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (opts.body !== undefined) {
      req.write(opts.body);
    }
    req.end();
  });
}

/** A bearer token obtained over raw HTTP. */
export async function rawToken(sb: Sandbox): Promise<string> {
  const res = await raw(sb, 'POST', '/oauth/token', {
    headers: { authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return (res.json() as { access_token: string }).access_token;
}

export function authJson(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

/** Polls until `check` returns a value, failing after `timeoutMs` (never an unbounded wait). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 5000, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) {
      return v;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits for a job to reach one of the given states and returns its status. */
export async function waitForState(api: pc.AnalyticsApi, jobId: string, states: string[], timeoutMs = 5000): Promise<pc.Models.AsyncQueryStatus> {
  return waitFor(`job ${jobId} to reach ${states.join('/')}`, async () => {
    const s = await api.getAnalyticsConversationsDetailsJob(jobId);
    return states.includes(s.state ?? '') ? s : undefined;
  }, timeoutMs);
}

/** Every conversation of a sync query, walking pages until the first page without conversations. */
export async function allSyncPages(api: pc.AnalyticsApi, body: pc.Models.ConversationQuery, pageSize = 100): Promise<pc.Models.AnalyticsConversationWithoutAttributes[]> {
  const out: pc.Models.AnalyticsConversationWithoutAttributes[] = [];
  for (let pageNumber = 1; pageNumber < 1000; pageNumber++) {
    const page = await api.postAnalyticsConversationsDetailsQuery({ ...body, paging: { pageSize, pageNumber } });
    if (!page.conversations || page.conversations.length === 0) {
      return out;
    }
    out.push(...page.conversations);
  }
  throw new Error('too many pages');
}

/** Every conversation of a job, following cursors until a page has none. */
export async function allJobPages(api: pc.AnalyticsApi, jobId: string, pageSize?: number): Promise<{ conversations: pc.Models.AnalyticsConversation[]; pages: pc.Models.AnalyticsConversationAsyncQueryResponse[] }> {
  const conversations: pc.Models.AnalyticsConversation[] = [];
  const pages: pc.Models.AnalyticsConversationAsyncQueryResponse[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 10_000; n++) {
    const page = await api.getAnalyticsConversationsDetailsJobResults(jobId, { pageSize, cursor });
    pages.push(page);
    conversations.push(...(page.conversations ?? []));
    if (!page.cursor) {
      return { conversations, pages };
    }
    cursor = page.cursor;
  }
  throw new Error('too many pages');
}

/** The SDK rejects with the ErrorBody object (or an AxiosError for login/network); this normalises both. */
export async function rejection(p: Promise<unknown>): Promise<{ status?: number; code?: string; message?: string; body: unknown }> {
  try {
    await p;
  } catch (err: unknown) {
    if (typeof err === 'object' && err !== null) {
      const e = err as { status?: number; code?: string; message?: string; response?: { status?: number; data?: unknown } };
      if (e.response) {
        return { status: e.response.status, code: e.code, message: e.message, body: e.response.data };
      }
      return { status: e.status, code: e.code, message: e.message, body: err };
    }
    return { body: err };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
