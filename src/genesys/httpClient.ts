import * as pc from 'purecloud-platform-client-v2';
import axios from 'axios';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import type { Clock } from '../common/clock';
import { systemClock } from '../common/clock';
import { isCancelledError } from '../common/cancellation';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { BodyPool } from './bodyPool';
import { readPooled } from './readPooled';
import type { GenesysError, GenesysOperation } from './errors';
import { cancelledError, classifyError, classifyHttpResponse, GenesysError as GenesysErrorClass, headerValue } from './errors';
import { ambiguousSubmissionError } from './runErrors';
import type { HttpObserver } from './httpObserver';
import { rateLimitInfo } from './httpObserver';
import { scanJobResultsPage } from './jobPageScan';
import { currentRequestContext } from './requestContext';
import type { RetryPolicyOptions } from './retryPolicy';
import { nextRetryDelay, resolveRetryPolicy } from './retryPolicy';

/** What the SDK's ApiClient reads from a resolved request (see ApiClient.callApi). */
export interface SdkHttpResponse {
  status: number;
  statusText: string;
  headers: Record<string, unknown>;
  data: unknown;
  text?: string;
}

export interface RetryingHttpClientOptions {
  /** Timeout of one attempt (connect to last byte), in ms. */
  timeoutMs: number;
  retry?: Partial<RetryPolicyOptions>;
  clock?: Clock;
  logger?: Logger;
  observer?: HttpObserver;
  /** Send requests through env proxies (HTTP(S)_PROXY)? Off for the loopback sandbox. */
  useEnvProxy?: boolean;
  httpAgent?: HttpAgent;
  httpsAgent?: HttpsAgent;
}

/**
 * The SDK's pluggable HTTP client (`ApiClient.setHttpClient`), so EVERY SDK call, the OAuth login
 * included, gets: retries on 429 (waiting Retry-After / inin-ratelimit-reset plus jitter), exponential
 * backoff on 5xx (not 501), resets, timeouts and malformed JSON within a time budget, no retry on other
 * 4xx, prompt abort through the AbortSignal of the current request context (see requestContext.ts),
 * and events for metrics. It rejects with our GenesysError, which the SDK passes through unchanged
 * (it has no `response` field), so headers such as inin-correlation-id survive.
 */
export class RetryingHttpClient extends pc.AbstractHttpClient {
  private readonly _policy: RetryPolicyOptions;
  private readonly _clock: Clock;
  private readonly _logger: Logger;
  private readonly _observer?: HttpObserver;
  private readonly _useEnvProxy: boolean;
  private readonly _httpAgent?: HttpAgent;
  private readonly _httpsAgentOverride?: HttpsAgent;
  /** Bodies of job results pages, reused page after page (see bodyPool.ts). */
  private readonly _bodies = new BodyPool();

  constructor(options: RetryingHttpClientOptions) {
    super();
    this.setTimeout(options.timeoutMs);
    this._policy = resolveRetryPolicy(options.retry);
    this._clock = options.clock ?? systemClock;
    this._logger = options.logger ?? silentLogger;
    this._observer = options.observer;
    this._useEnvProxy = options.useEnvProxy ?? true;
    this._httpAgent = options.httpAgent;
    this._httpsAgentOverride = options.httpsAgent;
  }

  /** Hooks are an axios-interceptor feature of the default client; ours has none to enable. */
  enableHooks(): void {
    // Intentionally empty: pre/post hooks are not supported by this client.
  }

  async request(options: pc.HttpRequestOptions): Promise<SdkHttpResponse> {
    const context = currentRequestContext();
    const signal = context?.signal;
    const operation: GenesysOperation = context?.operation ?? (options.url.endsWith('/oauth/token') ? 'login' : 'request');
    const method = options.method.toUpperCase();
    const path = safePath(options.url);
    const scanJobResults = context?.scanJobResults === true;
    const started = this._clock.now();
    let attempts = 0;
    let rateLimited = 0;
    for (;;) {
      if (signal?.aborted) {
        throw cancelledError();
      }
      attempts++;
      const attemptStart = this._clock.now();
      let error: GenesysError;
      try {
        const response = await this._attempt(options, method, signal, scanJobResults);
        const durationMs = this._clock.now() - attemptStart;
        const rateLimit = this._observer ? rateLimitInfo(response.headers) : undefined;
        this._observer?.onHttpEvent({ type: 'response', operation, method, path, status: response.status, durationMs, attempt: attempts, ...(rateLimit ? { rateLimit } : {}) });
        if (response.status >= 200 && response.status < 300) {
          // A scanned results page keeps its pooled body until the page's `release` (JobResultsPage).
          const parsed = parseSuccess(response, scanJobResults, () => this._bodies.release(response.body));
          this._logRequest('debug', method, path, String(response.status), started, attempts, response.headers['inin-correlation-id']);
          return parsed;
        }
        const text = response.body.toString('utf8');
        this._bodies.release(response.body);
        error = classifyHttpResponse(response.status, response.headers, parseLenient(text), operation);
      } catch (err) {
        if (signal?.aborted || isCancelledError(err)) {
          throw cancelledError(err);
        }
        error = err instanceof GenesysErrorClass ? err : classifyError(err, operation);
        if (error.kind === 'cancelled') {
          throw error;
        }
        if (error.code !== 'malformed.json') {
          this._observer?.onHttpEvent({ type: 'failure', operation, method, path, kind: error.kind, durationMs: this._clock.now() - attemptStart, attempt: attempts });
        }
      }
      if (context?.createsResource && mayHaveCreated(error)) {
        // Sent, but the answer is lost or unusable: sending again could create a second job.
        this._observer?.onHttpEvent({ type: 'giveUp', operation, method, path, kind: 'ambiguous', attempt: attempts });
        this._logRequest('info', method, path, error.status !== undefined ? String(error.status) : (error.errno ?? error.kind), started, attempts, error.correlationId);
        this._logger.warn(`${method} ${path}: ${error.kind} after sending (${error.supportInfo()}); not retried, it may have created a resource`);
        throw ambiguousSubmissionError(error);
      }
      if (error.kind === 'rateLimited') {
        rateLimited++;
      }
      const delay = nextRetryDelay(this._policy, error, { attempts, rateLimited, elapsedMs: this._clock.now() - started });
      if (delay === undefined) {
        this._observer?.onHttpEvent({ type: 'giveUp', operation, method, path, kind: error.kind, attempt: attempts });
        this._logRequest('info', method, path, error.status !== undefined ? String(error.status) : (error.errno ?? error.kind), started, attempts, error.correlationId);
        if (error.retryable) {
          this._logger.warn(`${method} ${path}: giving up after ${attempts} attempt(s): ${error.kind} ${error.supportInfo()}`);
        }
        throw error;
      }
      this._observer?.onHttpEvent({ type: 'retry', operation, method, path, kind: error.kind, status: error.status, delayMs: delay, attempt: attempts, ...(error.limitValue !== undefined ? { limit: error.limitValue } : {}) });
      this._logger.info(`${method} ${path}: ${error.kind}${error.status ? ` (HTTP ${error.status})` : error.errno ? ` (${error.errno})` : ''}; retrying in ${delay} ms (attempt ${attempts + 1})`);
      try {
        await this._clock.sleep(delay, signal);
      } catch (err) {
        throw cancelledError(err);
      }
    }
  }

  /**
   * The request log: one line per request once it ends — method, path (never the query string, which
   * may hold cursors), final status (or error code), total duration, retries and Genesys' correlation
   * id for support. Never headers or bodies: they hold the token, the client secret and the data.
   */
  private _logRequest(level: 'debug' | 'info', method: string, path: string, status: string, started: number, attempts: number, correlationId: unknown): void {
    const cid = typeof correlationId === 'string' && correlationId !== '' ? correlationId : '-';
    this._logger[level](`HTTP ${method} ${path} -> ${status} (${this._clock.now() - started} ms, retries ${attempts - 1}, inin-correlation-id ${cid})`);
  }

  /** One wire attempt. Resolves for any HTTP status; rejects for transport failures and malformed 2xx bodies. */
  private async _attempt(options: pc.HttpRequestOptions, method: string, outer: AbortSignal | undefined, pooled: boolean): Promise<RawResponse> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeout);
    const onOuterAbort = (): void => controller.abort();
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      const res = await axios.request<Buffer | Readable>({
        url: options.url,
        method,
        headers: options.headers as Record<string, string> | undefined,
        params: options.params,
        data: options.data,
        signal: controller.signal,
        // Bytes: a results page is scanned from them (parseSuccess), any other body decoded once. A
        // results page is read into a pooled buffer (readPooled), others as axios collects them.
        responseType: pooled ? 'stream' : 'arraybuffer',
        transformResponse: [(d: unknown) => d],
        validateStatus: () => true,
        maxContentLength: Number.POSITIVE_INFINITY,
        maxBodyLength: Number.POSITIVE_INFINITY,
        ...(this._useEnvProxy ? {} : { proxy: false as const }),
        ...(this._httpAgent ? { httpAgent: this._httpAgent } : {}),
        ...(this._httpsAgentOverride ?? this.httpsAgent ? { httpsAgent: this._httpsAgentOverride ?? this.httpsAgent } : {}),
      });
      const body = pooled ? await readPooled(res.data as Readable, this._bodies, controller.signal, Number(headerValue(res.headers, 'content-length') ?? 0)) : Buffer.isBuffer(res.data) ? res.data : Buffer.alloc(0);
      return { status: res.status, statusText: res.statusText, headers: plainHeaders(res.headers), body };
    } catch (err) {
      if (timedOut && !outer?.aborted) {
        throw new GenesysErrorClass({ kind: 'transient', errno: 'ETIMEDOUT', message: `The request to Genesys Cloud timed out after ${this.timeout} ms. It was retried; increase the HTTP timeout setting if this keeps happening.`, cause: err });
      }
      throw err;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }
}

/**
 * Whether a failed request that creates something may have done so. A 429 or a failure to reach the
 * host (refused, DNS: kind 'network') provably did not; other 4xx were refused and are not retried
 * anyway. A timeout, reset, 5xx/408 or garbled 2xx (all 'transient') happened after it was sent.
 */
function mayHaveCreated(error: GenesysError): boolean {
  return error.kind === 'transient';
}

interface RawResponse {
  status: number;
  statusText: string;
  headers: Record<string, unknown>;
  body: Buffer;
}

function parseSuccess(response: RawResponse, scanJobResults: boolean, release: () => void): SdkHttpResponse {
  const { status, statusText, headers } = response;
  const scanned = scanJobResults ? scanJobResultsPage(response.body) : undefined;
  if (scanned) {
    scanned.release = release;
    return { status, statusText, headers, data: scanned };
  }
  const text = response.body.toString('utf8');
  release();
  if (text.trim() === '') {
    return { status, statusText, headers, data: undefined, text: undefined };
  }
  try {
    return { status, statusText, headers, data: JSON.parse(text) as unknown };
  } catch (err) {
    // A 200 with a cut or garbled body: the data is unusable, but asking again usually works.
    throw new GenesysErrorClass({ kind: 'transient', code: 'malformed.json', status: response.status, message: 'Genesys Cloud sent a malformed (unparseable) response. It was retried; try again.', cause: err });
  }
}

function parseLenient(text: string): unknown {
  if (text.trim() === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function plainHeaders(headers: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (headers && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
      out[k.toLowerCase()] = v;
    }
  }
  return out;
}

/** The URL path for logs and events, without the host or query string (cursors are long and opaque). */
function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}
