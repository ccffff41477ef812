import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { AxiosError, AxiosHeaders } from 'axios';
import type { InternalAxiosRequestConfig } from 'axios';
import { CancelledError } from '../../../src/common/cancellation';
import { classifyError, classifyHttpResponse, GenesysError, parseRetryAfterMs, PERMISSION_AGENT_DETAIL_VIEW, PERMISSION_DETAIL_VIEW } from '../../../src/genesys/errors';

function axiosError(code: string | undefined, response?: { status: number; data: unknown; headers?: Record<string, string> }): AxiosError {
  const config = { headers: new AxiosHeaders() } as InternalAxiosRequestConfig;
  const res = response
    ? { status: response.status, statusText: '', data: response.data, headers: response.headers ?? {}, config }
    : undefined;
  return new AxiosError('Request failed', code, config, undefined, res);
}

describe('engine / errors: classifyError', () => {
  it('keeps no Authorization header (token or client secret) of an axios error in the cause chain', () => {
    for (const auth of ['Bearer tok-SECRET-123', `Basic ${Buffer.from('id:SECRET-123').toString('base64')}`]) {
      const err = axiosError('ECONNRESET');
      err.config!.headers.set('Authorization', auth);
      const timeout = axiosError('ECONNABORTED');
      timeout.config!.headers.set('Authorization', auth);
      for (const e of [classifyError(err), classifyError(timeout), new GenesysError({ kind: 'transient', message: 'x', cause: err })]) {
        const shown = inspect(e, { depth: 20, showHidden: true });
        assert.ok(!shown.includes(auth.split(' ')[1]!), `credential leaked: ${shown.slice(0, 200)}`);
      }
      assert.equal((classifyError(err).cause as { code?: string }).code, 'ECONNRESET', 'the errno survives');
    }
  });

  it('classifies a plain ErrorBody 400 as invalidQuery with field and code', () => {
    const e = classifyError({ status: 400, code: 'invalid.value', message: 'Value [x] is not valid for field type [orderBy].', contextId: 'ctx-1', details: [{ errorCode: 'x', fieldName: 'orderBy' }], errors: [] }, 'querySync');
    assert.equal(e.kind, 'invalidQuery');
    assert.equal(e.code, 'invalid.value');
    assert.equal(e.field, 'orderBy');
    assert.equal(e.contextId, 'ctx-1');
    assert.match(e.message, /Value \[x\] is not valid/);
    assert.equal(e.retryable, false);
  });

  it('classifies 401 bad.credentials as auth and tells to check the client ID and secret', () => {
    const e = classifyError({ status: 401, code: 'bad.credentials', message: 'Invalid login credentials.' }, 'getJobStatus');
    assert.equal(e.kind, 'auth');
    assert.equal(e.status, 401);
    assert.match(e.message, /client ID and secret/);
  });

  it('does not take a 429 or 5xx with an OAuth-style {error} body for bad credentials: they stay retryable', () => {
    const limited = classifyHttpResponse(429, { 'retry-after': '2' }, { error: 'rate_limited', error_description: 'slow down' }, 'login');
    assert.equal(limited.kind, 'rateLimited');
    assert.equal(limited.retryAfterMs, 2000);
    for (const status of [502, 503]) {
      const e = classifyHttpResponse(status, {}, { error: 'Service Unavailable' }, 'login');
      assert.equal(e.kind, 'transient', String(status));
      assert.equal(e.retryable, true);
      assert.equal(classifyHttpResponse(status, {}, { error: 'upstream' }, 'getJobStatus').kind, 'transient');
    }
    assert.equal(classifyHttpResponse(401, {}, { error: 'invalid_client' }, 'login').kind, 'auth');
    assert.equal(classifyHttpResponse(400, {}, { error: 'invalid_grant' }, 'querySync').kind, 'auth');
  });

  it('classifies a 200 whose body broke off (axios: stream aborted) as a broken connection, retried', () => {
    for (const code of ['ERR_BAD_RESPONSE', undefined]) {
      const e = classifyError(axiosError(code, { status: 200, data: undefined }), 'getJobStatus');
      assert.equal(e.kind, 'transient', String(code));
      assert.ok(e.retryable);
      assert.match(e.message, /connection to Genesys Cloud broke/);
    }
  });

  it('classifies a login AxiosError (invalid_client) as auth', () => {
    const e = classifyError(axiosError('ERR_BAD_REQUEST', { status: 401, data: { error: 'invalid_client', description: 'client is invalid', error_description: 'client is invalid' } }), 'login');
    assert.equal(e.kind, 'auth');
    assert.equal(e.code, 'invalid_client');
    assert.match(e.message, /client ID and secret/);
  });

  it('names the missing permission on 403, from the message or from the operation', () => {
    const named = classifyError({ status: 403, code: 'missing.any.permissions', message: 'You must have at least one of the following permissions assigned: analytics:conversationDetail:view, analytics:agentConversationDetail:view' }, 'querySync');
    assert.equal(named.kind, 'permission');
    assert.deepEqual(named.permissions, [PERMISSION_DETAIL_VIEW, PERMISSION_AGENT_DETAIL_VIEW]);
    const inferred = classifyError({ status: 403, code: 'not.authorized', message: 'Not authorized' }, 'getAvailability');
    assert.deepEqual(inferred.permissions, [PERMISSION_DETAIL_VIEW]);
    assert.match(inferred.message, /analytics:conversationDetail:view/);
  });

  it('classifies 429 with Retry-After (extended response) as rateLimited with retryAfterMs', () => {
    const e = classifyError({ status: 429, statusText: 'Too Many Requests', headers: { 'retry-after': '3', 'inin-correlation-id': 'corr-9' }, body: { status: 429, code: 'too.many.requests', message: 'Rate limit exceeded the maximum. Retry the request in [3] seconds' }, text: '', error: null });
    assert.equal(e.kind, 'rateLimited');
    assert.equal(e.retryAfterMs, 3000);
    assert.equal(e.correlationId, 'corr-9');
    assert.equal(e.retryable, true);
  });

  it('keeps the limit an ErrorBody names (a refused submission: the running-jobs cap), and only a number', () => {
    const body = { status: 429, code: 'too.many.requests', message: 'The maximum of 3 concurrently running analytics jobs was reached.', limit: { namespace: 'analytics', key: 'conversation.details.jobs.running.max', value: 3 } };
    assert.equal(classifyHttpResponse(429, { 'retry-after': '2' }, body, 'submitJob').limitValue, 3);
    assert.equal(classifyHttpResponse(429, {}, { ...body, limit: { value: 'three' } }, 'submitJob').limitValue, undefined);
    assert.equal(classifyHttpResponse(429, {}, { code: 'too.many.requests' }, 'submitJob').limitValue, undefined);
  });

  it('reads the wait from the 429 message when headers were lost (default SDK mode)', () => {
    const e = classifyError({ status: 429, code: 'too.many.requests', message: 'Rate limit exceeded the maximum. Retry the request in [7] seconds' });
    assert.equal(e.retryAfterMs, 7000);
  });

  it('treats 5xx (not 501) and 408 as transient', () => {
    for (const status of [500, 502, 503, 504, 408]) {
      assert.equal(classifyHttpResponse(status, {}, { code: 'x' }).kind, 'transient', String(status));
    }
    assert.equal(classifyHttpResponse(501, {}, {}).kind, 'unknown');
    assert.equal(classifyHttpResponse(501, {}, {}).retryable, false);
  });

  it('treats 404 as notFound with advice to re-run', () => {
    const e = classifyError({ status: 404, code: 'not.found', message: 'The requested operation failed with status 404', contextId: 'd11', details: [], errors: [] });
    assert.equal(e.kind, 'notFound');
    assert.match(e.message, /Re-run/);
  });

  it('classifies network failures: resets and timeouts are transient, refused is network', () => {
    assert.equal(classifyError(axiosError('ECONNRESET')).kind, 'transient');
    assert.equal(classifyError(axiosError('ECONNABORTED')).kind, 'transient');
    assert.equal(classifyError(axiosError('ETIMEDOUT')).kind, 'transient');
    const refused = classifyError(axiosError('ECONNREFUSED'));
    assert.equal(refused.kind, 'network');
    assert.equal(refused.retryable, true);
    assert.equal(classifyError(axiosError('ENOTFOUND')).retryable, false);
    assert.equal(classifyError(Object.assign(new Error('socket hang up'), {})).kind, 'transient');
  });

  it('classifies a thrown string (missing argument) as invalidQuery', () => {
    const e = classifyError("Missing the required parameter 'jobId' when calling getAnalyticsConversationsDetailsJob");
    assert.equal(e.kind, 'invalidQuery');
    assert.match(e.message, /jobId/);
  });

  it('classifies aborts (ours, DOM AbortError, axios CanceledError) as cancelled', () => {
    assert.equal(classifyError(new CancelledError()).kind, 'cancelled');
    assert.equal(classifyError(new DOMException('aborted', 'AbortError')).kind, 'cancelled');
    assert.equal(classifyError(axiosError('ERR_CANCELED')).kind, 'cancelled');
  });

  it('classifies malformed JSON (SyntaxError) as transient', () => {
    let err: unknown;
    try {
      JSON.parse('{"conversations":[');
    } catch (e) {
      err = e;
    }
    assert.equal(classifyError(err).kind, 'transient');
  });

  it('returns a GenesysError as is, and supportInfo carries ids but no secrets', () => {
    const original = new GenesysError({ kind: 'transient', message: 'x', status: 503, code: 'service.unavailable', correlationId: 'c1', contextId: 'c2' });
    assert.equal(classifyError(original), original);
    assert.equal(original.supportInfo(), 'kind=transient status=503 code=service.unavailable correlationId=c1 contextId=c2');
  });
});

describe('engine / errors: parseRetryAfterMs', () => {
  it('prefers Retry-After seconds, then an HTTP date, then inin-ratelimit-reset, then the message', () => {
    assert.equal(parseRetryAfterMs({ 'Retry-After': '2' }), 2000);
    assert.equal(parseRetryAfterMs({ 'retry-after': new Date(10_000).toUTCString() }, undefined, 4_000), 6000);
    assert.equal(parseRetryAfterMs({ 'inin-ratelimit-reset': '5' }), 5000);
    assert.equal(parseRetryAfterMs({}, 'Retry the request in [4] seconds'), 4000);
    assert.equal(parseRetryAfterMs({}), undefined);
  });
});
