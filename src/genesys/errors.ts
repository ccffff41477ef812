import { isCancelledError } from '../common/cancellation';
import { localIoInit } from './localIoError';

/**
 * Everything that can go wrong talking to Genesys Cloud, normalised. The SDK rejects with several
 * unrelated shapes (genesys-api.md §5.3); `classifyError` turns each into one GenesysError so callers
 * switch on `kind` and show `message` as is.
 */
export type GenesysErrorKind =
  /** Bad client id/secret, revoked secret, or a token the server no longer accepts. */
  | 'auth'
  /** The OAuth client lacks a permission (403). */
  | 'permission'
  /** 429; `retryAfterMs` says how long the server asked us to wait. */
  | 'rateLimited'
  /** The request body or parameters were rejected (400 and friends), or failed our own validation. */
  | 'invalidQuery'
  /** 404: unknown job, or results no longer there. */
  | 'notFound'
  /** The job's results expired (state EXPIRED, or 404 on results of a job known to have expired). */
  | 'expired'
  /** Worth retrying: 5xx (not 501), 408, resets, timeouts, malformed JSON. */
  | 'transient'
  /** Stopped on purpose through an AbortSignal. */
  | 'cancelled'
  /** The host could not be reached at all (refused, DNS). */
  | 'network'
  /** Our configuration is wrong (unknown region, malformed sandbox URL); no request was sent. */
  | 'config'
  /**
   * A request that creates something (a job submission) got no usable answer after it was sent
   * (timeout, reset, 5xx, garbled 2xx): it may have been created. Never retried automatically.
   */
  | 'ambiguous'
  /** Our own disk failed (results cache, history): ENOSPC, EACCES, EEXIST… `path` names the file. Not Genesys' fault. */
  | 'local-io'
  | 'unknown';

export const PERMISSION_DETAIL_VIEW = 'analytics:conversationDetail:view';
export const PERMISSION_AGENT_DETAIL_VIEW = 'analytics:agentConversationDetail:view';

export interface GenesysErrorInit {
  kind: GenesysErrorKind;
  message: string;
  status?: number;
  code?: string;
  /** Genesys' own message, verbatim, when there was one. */
  serverMessage?: string;
  /** The `inin-correlation-id` response header. */
  correlationId?: string;
  /** ErrorBody.contextId (often equal to the correlation id). */
  contextId?: string;
  retryAfterMs?: number;
  /** The offending field, for invalidQuery. */
  field?: string;
  /** Missing permission(s), for permission errors. */
  permissions?: string[];
  /** Network error code (ECONNRESET, ETIMEDOUT, ...), or the local I/O code (ENOSPC, ...). */
  errno?: string;
  /** The local file or folder, for local-io errors. */
  path?: string;
  /** ErrorBody.limit.value: the limit met, e.g. the cap on running jobs a refused submission names. */
  limitValue?: number;
  cause?: unknown;
}

/** The one error type the engine throws. */
export class GenesysError extends Error {
  override readonly name = 'GenesysError';
  readonly kind: GenesysErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly serverMessage?: string;
  readonly correlationId?: string;
  readonly contextId?: string;
  readonly retryAfterMs?: number;
  readonly field?: string;
  readonly permissions?: string[];
  readonly errno?: string;
  readonly path?: string;
  readonly limitValue?: number;

  constructor(init: GenesysErrorInit) {
    // Never keep an axios error itself: its config holds the Authorization header (see safeCause).
    super(init.message, init.cause === undefined ? undefined : { cause: safeCause(init.cause) });
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.serverMessage = init.serverMessage;
    this.correlationId = init.correlationId;
    this.contextId = init.contextId;
    this.retryAfterMs = init.retryAfterMs;
    this.field = init.field;
    this.permissions = init.permissions;
    this.errno = init.errno;
    this.path = init.path;
    this.limitValue = init.limitValue;
  }

  /** Whether sending the same request again may succeed. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rateLimited' || (this.kind === 'network' && this.errno !== 'ENOTFOUND');
  }

  /** One line for a "copy details for support" action; never contains credentials. */
  supportInfo(): string {
    const parts = [`kind=${this.kind}`];
    if (this.status !== undefined) {
      parts.push(`status=${this.status}`);
    }
    if (this.code) {
      parts.push(`code=${this.code}`);
    }
    if (this.errno) {
      parts.push(`errno=${this.errno}`);
    }
    if (this.path) {
      parts.push(`path=${this.path}`);
    }
    if (this.correlationId) {
      parts.push(`correlationId=${this.correlationId}`);
    }
    if (this.contextId && this.contextId !== this.correlationId) {
      parts.push(`contextId=${this.contextId}`);
    }
    return parts.join(' ');
  }
}

export function isGenesysError(err: unknown, kind?: GenesysErrorKind): err is GenesysError {
  return err instanceof GenesysError && (kind === undefined || err.kind === kind);
}

/** What the caller was doing, so messages can name the right permission or advice. */
export type GenesysOperation =
  | 'login'
  | 'checkConnection'
  | 'querySync'
  | 'submitJob'
  | 'getJobStatus'
  | 'getJobResults'
  | 'deleteJob'
  | 'getAvailability'
  | 'listQueues'
  | 'listUsers'
  | 'listWrapUpCodes'
  | 'listDivisions'
  | 'request';

export type HeaderBag = Record<string, unknown>;

/** Reads a header case-insensitively from a plain object or an AxiosHeaders instance. */
export function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') {
    return undefined;
  }
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as HeaderBag)) {
    if (key.toLowerCase() === lower) {
      if (Array.isArray(value)) {
        return value.length > 0 ? String(value[0]) : undefined;
      }
      return value === undefined || value === null ? undefined : String(value);
    }
  }
  return undefined;
}

/**
 * How long a 429 asks us to wait: `Retry-After` (seconds or an HTTP date), else `inin-ratelimit-reset`
 * (seconds), else the "Retry the request in [N] seconds" message. Undefined when nothing says.
 */
export function parseRetryAfterMs(headers: unknown, message?: string, now: number = Date.now()): number | undefined {
  const retryAfter = headerValue(headers, 'retry-after');
  if (retryAfter !== undefined && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) {
      return Math.round(seconds * 1000);
    }
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) {
      return Math.max(0, date - now);
    }
  }
  const reset = headerValue(headers, 'inin-ratelimit-reset');
  if (reset !== undefined) {
    const seconds = Number(reset);
    if (Number.isFinite(seconds) && seconds >= 0) {
      return Math.round(seconds * 1000);
    }
  }
  const match = message ? /retry the request in \[?(\d+(?:\.\d+)?)\]? seconds?/i.exec(message) : null;
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

interface ErrorBodyLike {
  message?: unknown;
  code?: unknown;
  status?: unknown;
  contextId?: unknown;
  messageParams?: unknown;
  details?: unknown;
  error?: unknown;
  error_description?: unknown;
  description?: unknown;
  limit?: unknown;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ESOCKETTIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'ERR_BAD_RESPONSE', 'UND_ERR_SOCKET']);

const LIST_PERMISSIONS: Partial<Record<GenesysOperation, string[]>> = {
  listQueues: ['routing:queue:view'],
  listUsers: ['directory:user:view'],
  listWrapUpCodes: ['routing:wrapupCode:view'],
  listDivisions: ['authorization:division:view'],
};

function permissionsFor(operation: GenesysOperation): string[] {
  return LIST_PERMISSIONS[operation] ?? (operation === 'getAvailability' ? [PERMISSION_DETAIL_VIEW] : [PERMISSION_DETAIL_VIEW, PERMISSION_AGENT_DETAIL_VIEW]);
}

function fieldOf(body: ErrorBodyLike): string | undefined {
  if (Array.isArray(body.details)) {
    for (const d of body.details) {
      const name = str(asRecord(d)?.fieldName);
      if (name) {
        return name;
      }
    }
  }
  const params = asRecord(body.messageParams);
  return params ? (str(params.field) ?? str(params.fieldName)) : undefined;
}

/**
 * Classifies an HTTP error response (status, headers, parsed body) into a GenesysError. Used by our
 * HTTP client, where headers are still at hand, and by `classifyError` for the SDK's shapes.
 */
export function classifyHttpResponse(
  status: number,
  headers: unknown,
  body: unknown,
  operation: GenesysOperation = 'request',
  cause?: unknown,
): GenesysError {
  const b: ErrorBodyLike = asRecord(body) ?? {};
  const textBody = typeof body === 'string' ? body.slice(0, 300) : undefined;
  const oauthError = str(b.error);
  const serverMessage = str(b.message) ?? str(b.error_description) ?? str(b.description) ?? textBody;
  const code = str(b.code) ?? oauthError;
  const correlationId = headerValue(headers, 'inin-correlation-id');
  const contextId = str(b.contextId);
  const limitValue = asRecord(b.limit)?.value;
  const common = { status, code, serverMessage, correlationId, contextId, cause, ...(typeof limitValue === 'number' ? { limitValue } : {}) };
  const said = serverMessage ? ` Genesys said: "${serverMessage}"` : '';

  // An OAuth-style body (`error`) only means bad credentials on a 4xx that says so: a 429 or 5xx (from a
  // gateway or proxy too) with such a body is still a rate limit or a transient fault, and is retried.
  if ((status === 400 || status === 401 || status === 403) && (oauthError || operation === 'login')) {
    return new GenesysError({
      ...common,
      kind: 'auth',
      message: `Genesys Cloud rejected the client credentials${code ? ` (${code})` : ''}. Check the client ID and secret, and that the OAuth client uses the Client Credentials grant and has not been deleted or had its secret rotated.${said}`,
    });
  }
  if (status === 401) {
    return new GenesysError({
      ...common,
      kind: 'auth',
      message: `Genesys Cloud did not accept the access token${code ? ` (${code})` : ''}, even after signing in again. Check the client ID and secret of this connection; the secret may have been revoked.${said}`,
    });
  }
  if (status === 403) {
    const named = serverMessage?.match(/[a-zA-Z]+:[a-zA-Z]+:[a-zA-Z*]+/g);
    const permissions = named && named.length > 0 ? [...new Set(named)] : permissionsFor(operation);
    return new GenesysError({
      ...common,
      kind: 'permission',
      permissions,
      message: `The OAuth client is missing a permission: give its role ${permissions.map((p) => `'${p}'`).join(' or ')} (and access to the divisions you query).${said}`,
    });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(headers, serverMessage);
    return new GenesysError({
      ...common,
      kind: 'rateLimited',
      retryAfterMs,
      message: `Genesys Cloud is rate limiting this client${retryAfterMs !== undefined ? `; it asked to retry in ${Math.ceil(retryAfterMs / 1000)} s` : ''}. Other apps using the same OAuth client share the limit.`,
    });
  }
  if (status === 404) {
    return new GenesysError({
      ...common,
      kind: 'notFound',
      message: `Genesys Cloud says the resource does not exist (404${code ? ` ${code}` : ''}): the job may be unknown to this org or its results may have expired. Re-run it to get fresh results.`,
    });
  }
  if (status === 408 || (status >= 500 && status !== 501 && status <= 599)) {
    return new GenesysError({
      ...common,
      kind: 'transient',
      message: `Genesys Cloud had a temporary problem (HTTP ${status}${code ? ` ${code}` : ''}). Try again in a moment.${said}`,
    });
  }
  if (status >= 400 && status < 500) {
    const field = fieldOf(b);
    return new GenesysError({
      ...common,
      kind: 'invalidQuery',
      field,
      message: `Genesys Cloud rejected the request (HTTP ${status}${code ? ` ${code}` : ''})${field ? ` for field '${field}'` : ''}: ${(serverMessage ?? 'no reason given').replace(/\.+$/, '')}. Fix the query and run it again.`,
    });
  }
  return new GenesysError({
    ...common,
    kind: 'unknown',
    message: `Unexpected response from Genesys Cloud (HTTP ${status}${code ? ` ${code}` : ''}).${said}`,
  });
}

/** Classifies a Node/axios network-level failure by its error code. */
export function classifyNetworkCode(errno: string | undefined, message: string, cause?: unknown): GenesysError {
  if (errno === 'ERR_CANCELED') {
    return cancelledError(cause);
  }
  if (errno && NETWORK_CODES.has(errno)) {
    return new GenesysError({
      kind: 'network',
      errno,
      cause,
      message: `Cannot reach Genesys Cloud (${errno}). Check the region or sandbox URL, your network, and any proxy.`,
    });
  }
  if (errno && errno.startsWith('ERR_') && !TRANSIENT_CODES.has(errno)) {
    // axios/Node programming-level errors (invalid URL, bad option): retrying cannot help.
    return new GenesysError({ kind: 'unknown', errno, cause, message: `The request could not be sent (${errno}): ${message}` });
  }
  const timedOut = errno === 'ECONNABORTED' || errno === 'ETIMEDOUT' || /timeout/i.test(message);
  return new GenesysError({
    kind: 'transient',
    errno,
    cause,
    message: timedOut
      ? `The request to Genesys Cloud timed out${errno ? ` (${errno})` : ''}. It was retried; increase the HTTP timeout setting if this keeps happening.`
      : `The connection to Genesys Cloud broke${errno ? ` (${errno})` : ''}: ${message}`,
  });
}

/**
 * What may be kept as an error's `cause`. An axios error carries its request config and socket, whose
 * headers hold `Authorization: Basic <client id:secret>` (login) or `Bearer <token>`; anything that
 * logs or inspects the GenesysError (util.inspect walks `cause`) would print them. Keep only its
 * name, code and message.
 */
export function safeCause(err: unknown): unknown {
  const rec = asRecord(err);
  if (!rec || !(rec.isAxiosError === true || 'config' in rec || 'request' in rec || 'response' in rec)) {
    return err;
  }
  const plain = new Error(typeof rec.message === 'string' ? rec.message : 'HTTP request failed');
  plain.name = typeof rec.name === 'string' ? rec.name : 'Error';
  if (typeof rec.code === 'string') {
    (plain as Error & { code?: string }).code = rec.code;
  }
  return plain;
}

export function cancelledError(cause?: unknown): GenesysError {
  return new GenesysError({ kind: 'cancelled', message: 'Cancelled.', cause });
}

/** Our own "you asked for something impossible" error, raised before any request is sent. */
export function invalidQueryError(message: string, field?: string): GenesysError {
  return new GenesysError({ kind: 'invalidQuery', code: 'local.validation', field, message });
}

/**
 * Normalises anything the SDK (or our HTTP client, or Node) rejects with into a GenesysError:
 * our own GenesysError (returned as is), plain ErrorBody objects, AxiosErrors (incl. login failures
 * with `err.response`), extended responses `{status, headers, body, error}`, strings thrown for
 * missing arguments, aborts, SyntaxErrors from malformed JSON.
 */
export function classifyError(err: unknown, operation: GenesysOperation = 'request'): GenesysError {
  if (err instanceof GenesysError) {
    return err;
  }
  if (isCancelledError(err)) {
    return cancelledError(err);
  }
  if (typeof err === 'string') {
    // The SDK throws a bare string for a missing required argument: a programming or input error.
    return new GenesysError({ kind: 'invalidQuery', code: 'missing.argument', message: `Invalid request: ${err}`, cause: err });
  }
  const rec = asRecord(err);
  if (!rec) {
    return new GenesysError({ kind: 'unknown', message: `Unexpected error: ${String(err)}`, cause: err });
  }
  if (rec.name === 'AbortError' || rec.name === 'CanceledError' || rec.code === 'ERR_CANCELED') {
    return cancelledError(err);
  }
  if (rec.isAxiosError === true || (err instanceof Error && rec.response !== undefined)) {
    const response = asRecord(rec.response);
    if (response && typeof response.status === 'number') {
      if (response.status >= 200 && response.status < 300) {
        // A success status, then the body broke off (axios: "stream has been aborted"): the connection failed.
        return classifyNetworkCode(str(rec.code) ?? 'ECONNRESET', String(rec.message ?? ''), err);
      }
      return classifyHttpResponse(response.status, response.headers, response.data, operation, err);
    }
    return classifyNetworkCode(str(rec.code), String(rec.message ?? ''), err);
  }
  const local = localIoInit(err);
  if (local) {
    return new GenesysError(local);
  }
  if (err instanceof SyntaxError) {
    return new GenesysError({ kind: 'transient', code: 'malformed.json', message: 'Genesys Cloud sent a malformed response. It was retried; try again.', cause: err });
  }
  // Extended response mode: {status, statusText, headers, body, text, error}.
  if (typeof rec.status === 'number' && ('body' in rec || 'headers' in rec) && 'statusText' in rec) {
    return classifyHttpResponse(rec.status, rec.headers, rec.body ?? rec.text, operation, err);
  }
  // Plain ErrorBody (default SDK mode: headers are lost) or an OAuth error body.
  if (typeof rec.status === 'number' || typeof rec.code === 'string' || typeof rec.error === 'string') {
    const status = typeof rec.status === 'number' ? rec.status : operation === 'login' ? 401 : 400;
    return classifyHttpResponse(status, undefined, rec, operation, err);
  }
  if (err instanceof Error) {
    const code = str(rec.code);
    if (code) {
      return classifyNetworkCode(code, err.message, err);
    }
    if (/socket hang up/i.test(err.message)) {
      return classifyNetworkCode('ECONNRESET', err.message, err);
    }
    return new GenesysError({ kind: 'unknown', message: err.message, cause: err });
  }
  return new GenesysError({ kind: 'unknown', message: `Unexpected error: ${JSON.stringify(rec).slice(0, 200)}`, cause: err });
}
