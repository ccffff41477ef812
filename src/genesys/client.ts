import * as pc from 'purecloud-platform-client-v2';
import type { Clock } from '../common/clock';
import { systemClock } from '../common/clock';
import type { IDisposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import type { GenesysOperation } from './errors';
import { cancelledError, classifyError, GenesysError, invalidQueryError } from './errors';
import { ambiguousSubmissionError } from './runErrors';
import type { GenesysApi } from './genesysApi';
import { RetryingHttpClient } from './httpClient';
import type { HttpObserver } from './httpObserver';
import type { Connection, ConnectionTarget } from './regions';
import { resolveConnectionTarget } from './regions';
import { raceSignal } from './raceSignal';
import { runInRequestContext } from './requestContext';
import type { RetryPolicyOptions } from './retryPolicy';
import { normaliseAvailability, normaliseEntityPage, normaliseJobResultsPage, normaliseJobStatus, normaliseSyncPage } from './responses';
import type { AsyncJobBody, Availability, ConversationQueryBody, EntityPage, JobResultsPage, JobStatus, ListPaging, OrgInfo, SyncQueryPage } from './types';

export interface GenesysClientOptions {
  connection: Connection;
  /** Kept in memory only, to sign in again when the token expires; never persisted or logged. */
  clientSecret: string;
  /** Timeout of one HTTP attempt; default 60 s (setting `genesysCloud.http.timeoutSeconds`). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicyOptions>;
  /** Renew the token this long before it expires (capped at half its lifetime); default 60 s. */
  tokenRenewSkewMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Receives every HTTP attempt, retry and give-up (metrics, tests, benchmark). */
  observer?: HttpObserver;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
  lifetimeMs: number;
}

/**
 * The one facade over the Genesys SDK for a connection: its own isolated ApiClient (never the
 * singleton), config-file live reload off, our retrying HTTP client with our timeout installed before
 * the first call, client-credentials login with a cached token renewed shortly before expiry and once
 * more on a 401. Everything it returns is our DTOs; everything it throws is GenesysError.
 */
export class GenesysClient implements GenesysApi, IDisposable {
  readonly connection: Connection;
  readonly target: ConnectionTarget;
  private readonly _apiClient: pc.ApiClientClass;
  private readonly _analytics: pc.AnalyticsApi;
  private readonly _secret: string;
  private readonly _clock: Clock;
  private readonly _logger: Logger;
  private readonly _skewMs: number;
  private _token: CachedToken | undefined;
  private _login: Promise<CachedToken> | undefined;
  private _disposed = false;

  /** Throws GenesysError('config') for an unknown region or malformed sandbox URL; sends nothing. */
  constructor(options: GenesysClientOptions) {
    this.connection = options.connection;
    this.target = resolveConnectionTarget(options.connection);
    this._secret = options.clientSecret;
    this._clock = options.clock ?? systemClock;
    this._logger = options.logger ?? silentLogger;
    this._skewMs = options.tokenRenewSkewMs ?? 60_000;
    const timeoutMs = options.timeoutMs ?? 60_000;

    const apiClient = new pc.ApiClientClass();
    // The SDK watches ~/.genesyscloudjavascript/config and may silently reset host/gateway (§5.1).
    apiClient.config.live_reload_config = false;
    apiClient.config.setConfigPath('');
    apiClient.setHttpClient(
      new RetryingHttpClient({
        timeoutMs,
        retry: options.retry,
        clock: this._clock,
        logger: this._logger,
        observer: options.observer,
        useEnvProxy: this.target.kind === 'region',
      }),
    );
    // ApiClient copies its own timeout into every HttpRequestOptions; keep both in step.
    (apiClient as unknown as { timeout: number }).timeout = timeoutMs;
    // The config file read at construction may also have set SDK logging (request headers and bodies
    // to console or a file) and a gateway: our logger is the only one, and our target the only target.
    apiClient.config.logger.log_level = 'none';
    apiClient.config.logger.log_to_console = false;
    apiClient.config.logger.setLogger();
    if (this.target.kind === 'region') {
      apiClient.setGateway(undefined as unknown as Parameters<typeof apiClient.setGateway>[0]);
      apiClient.setEnvironment(this.target.region.host);
    } else {
      apiClient.setEnvironment('sandbox.invalid');
      apiClient.setGateway(this.target.gateway);
    }
    this._apiClient = apiClient;
    this._analytics = new pc.AnalyticsApi(apiClient);
  }

  /** Signs in now (otherwise the first call does); resolves when a token is cached. */
  async login(signal?: AbortSignal): Promise<void> {
    await this._ensureToken(signal);
  }

  /** When the cached token expires (epoch ms), if signed in. */
  get tokenExpiresAt(): number | undefined {
    return this._token?.expiresAt;
  }

  async checkConnection(signal?: AbortSignal): Promise<OrgInfo> {
    return this._call('checkConnection', signal, async () => {
      const tokens = new pc.TokensApi(this._apiClient);
      try {
        const info = await tokens.getTokensMe();
        return {
          orgId: info.organization?.id ?? '',
          orgName: info.organization?.name ?? '',
          ...(info.OAuthClient?.name ? { clientName: info.OAuthClient.name } : {}),
        };
      } catch (err) {
        if (classifyError(err).kind !== 'notFound') {
          throw err;
        }
        const org = await new pc.OrganizationApi(this._apiClient).getOrganizationsMe();
        return { orgId: org.id ?? '', orgName: org.name ?? '' };
      }
    });
  }

  async querySync(body: ConversationQueryBody, signal?: AbortSignal): Promise<SyncQueryPage> {
    const page = await this._call('querySync', signal, () =>
      this._analytics.postAnalyticsConversationsDetailsQuery(body as pc.Models.ConversationQuery),
    );
    return normaliseSyncPage(page);
  }

  async submitJob(body: AsyncJobBody, signal?: AbortSignal): Promise<string> {
    const res = await this._call('submitJob', signal, () =>
      this._analytics.postAnalyticsConversationsDetailsJobs(body as pc.Models.AsyncConversationQuery),
    );
    const jobId = (res as { jobId?: unknown } | undefined)?.jobId;
    if (typeof jobId !== 'string' || jobId === '') {
      // Accepted, so a job exists that we cannot name: the same "do not submit again" case.
      throw ambiguousSubmissionError(new GenesysError({ kind: 'transient', code: 'missing.jobId', message: 'Genesys Cloud accepted the job but returned no job id.' }));
    }
    return jobId;
  }

  async getJobStatus(jobId: string, signal?: AbortSignal): Promise<JobStatus> {
    const status = await this._call('getJobStatus', signal, () => this._analytics.getAnalyticsConversationsDetailsJob(jobId));
    return normaliseJobStatus(status);
  }

  async getJobResults(jobId: string, page: { cursor?: string; pageSize?: number }, signal?: AbortSignal): Promise<JobResultsPage> {
    const opts: { cursor?: string; pageSize?: number } = {};
    if (page.cursor) {
      opts.cursor = page.cursor;
    }
    if (page.pageSize !== undefined) {
      opts.pageSize = page.pageSize;
    }
    const res = await this._call('getJobResults', signal, () => this._analytics.getAnalyticsConversationsDetailsJobResults(jobId, opts));
    return normaliseJobResultsPage(res);
  }

  async deleteJob(jobId: string, signal?: AbortSignal): Promise<void> {
    await this._call('deleteJob', signal, () => this._analytics.deleteAnalyticsConversationsDetailsJob(jobId));
  }

  async getAvailability(signal?: AbortSignal): Promise<Availability> {
    const res = await this._call('getAvailability', signal, () => this._analytics.getAnalyticsConversationsDetailsJobsAvailability());
    return normaliseAvailability(res);
  }

  listQueues(paging: ListPaging = {}, signal?: AbortSignal): Promise<EntityPage> {
    return this._list('listQueues', paging, signal, (opts) => new pc.RoutingApi(this._apiClient).getRoutingQueues(opts));
  }

  listUsers(paging: ListPaging = {}, signal?: AbortSignal): Promise<EntityPage> {
    return this._list('listUsers', paging, signal, (opts) => new pc.UsersApi(this._apiClient).getUsers(opts));
  }

  listWrapUpCodes(paging: ListPaging = {}, signal?: AbortSignal): Promise<EntityPage> {
    return this._list('listWrapUpCodes', paging, signal, (opts) => new pc.RoutingApi(this._apiClient).getRoutingWrapupcodes(opts));
  }

  listDivisions(paging: ListPaging = {}, signal?: AbortSignal): Promise<EntityPage> {
    return this._list('listDivisions', paging, signal, (opts) => new pc.AuthorizationApi(this._apiClient).getAuthorizationDivisions(opts));
  }

  dispose(): void {
    this._disposed = true;
    this._token = undefined;
    this._apiClient.setAccessToken('');
  }

  /** One page of a list endpoint: pageSize 1..500 (default 100), pageNumber from 1. */
  private async _list(operation: GenesysOperation, paging: ListPaging, signal: AbortSignal | undefined, fn: (opts: { pageSize: number; pageNumber: number }) => Promise<unknown>): Promise<EntityPage> {
    const asked = { pageSize: paging.pageSize ?? 100, pageNumber: paging.pageNumber ?? 1 };
    if (!Number.isInteger(asked.pageSize) || asked.pageSize < 1 || asked.pageSize > 500 || !Number.isInteger(asked.pageNumber) || asked.pageNumber < 1) {
      throw invalidQueryError(`List paging must be a pageSize of 1 to 500 and a pageNumber from 1 (got ${asked.pageSize}, ${asked.pageNumber}).`, 'pageSize');
    }
    return normaliseEntityPage(await this._call(operation, signal, () => fn(asked)), asked);
  }

  /** Runs one SDK call with a valid token, our request context, and one re-login on a 401. */
  private async _call<T>(operation: GenesysOperation, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    if (this._disposed) {
      throw new GenesysError({ kind: 'config', message: `The connection '${this.connection.name}' was closed.` });
    }
    if (signal?.aborted) {
      throw cancelledError();
    }
    const token = await this._ensureToken(signal);
    try {
      return await this._invoke(operation, signal, fn);
    } catch (err) {
      const error = classifyError(err, operation);
      if (error.kind !== 'auth' || error.status !== 401) {
        throw error;
      }
      // Client-credentials tokens cannot be refreshed; sign in again once (expired or revoked token).
      this._logger.info(`${operation}: token rejected (HTTP 401); signing in again`);
      if (this._token === token) {
        this._token = undefined;
      }
      await this._ensureToken(signal);
      try {
        return await this._invoke(operation, signal, fn);
      } catch (again) {
        throw classifyError(again, operation);
      }
    }
  }

  private async _invoke<T>(operation: GenesysOperation, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await runInRequestContext({ signal, operation, createsResource: operation === 'submitJob', scanJobResults: operation === 'getJobResults' }, () => {
        // The SDK throws plain strings synchronously for missing arguments; make them rejections.
        try {
          return fn();
        } catch (err) {
          return Promise.reject(err instanceof Error ? err : classifyError(err, operation));
        }
      });
    } catch (err) {
      throw classifyError(err, operation);
    }
  }

  private async _ensureToken(signal: AbortSignal | undefined): Promise<CachedToken> {
    const now = this._clock.now();
    const token = this._token;
    if (token && now < token.expiresAt - Math.min(this._skewMs, token.lifetimeMs / 2)) {
      return token;
    }
    if (!this._login) {
      // Shared by concurrent callers and not bound to any one caller's signal (each races its own).
      this._login = this._doLogin().finally(() => {
        this._login = undefined;
      });
    }
    return raceSignal(this._login, signal);
  }

  private async _doLogin(): Promise<CachedToken> {
    try {
      const auth = await runInRequestContext({ operation: 'login' }, () =>
        this._apiClient.loginClientCredentialsGrant(this.connection.clientId, this._secret),
      );
      const lifetimeMs = Math.max(1_000, auth.tokenExpiryTime - Date.now());
      const token: CachedToken = { accessToken: auth.accessToken, lifetimeMs, expiresAt: this._clock.now() + lifetimeMs };
      this._token = token;
      this._logger.info(`Signed in to '${this.connection.name}' (token valid ${Math.round(lifetimeMs / 1000)} s)`);
      return token;
    } catch (err) {
      const error = classifyError(err, 'login');
      if (error.kind === 'invalidQuery') {
        // A 4xx from the token endpoint is a credentials problem whatever its code.
        throw classifyError({ error: error.code ?? 'invalid_client', description: error.serverMessage }, 'login');
      }
      throw error;
    }
  }
}
