import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenStore, parseBearer } from './auth';
import { handleControl } from './control';
import { Dataset } from './dataset';
import { ApiError, Errors } from './errors';
import { FaultInjector } from './faults';
import type { Reply, RequestContext } from './http';
import { JobStore } from './jobs';
import { issueToken } from './oauth';
import { defaultAnchor, defaultOptions, mergeOptions, type DeepPartial, type SandboxOptions } from './options';
import { parseQueryBody } from './queryBody';
import { RateLimiter, type RateState } from './rateLimit';
import { apiRouter, JOBS_TEMPLATE } from './routes';
import type { Router } from './router';
import { syncGroundTruth } from './syncQuery';

const MAX_BODY = 1024 * 1024;

export interface SandboxStats {
  requests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  /** Async jobs the sandbox created (POST …/details/jobs that reached the handler), whether or not the client got the answer. */
  jobsCreated: number;
  /** API requests whose client closed the connection before the answer was written (aborted, timed out). */
  clientAborts: number;
  /** API requests received and not yet answered (a client's prefetch shows here while a page is served). */
  inFlight: number;
  /** Time the API handlers spent building answers (the sandbox's own cost; latency and service time excluded). */
  handlerMs: number;
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  readonly options: Readonly<SandboxOptions>;
  configure(patch: DeepPartial<SandboxOptions>): void;
  revokeTokens(): void;
  stats(): SandboxStats;
  resetStats(): void;
  /** Ground truth for tests: ids of every conversation the route would return for this body, in the route's order. */
  groundTruth(body: object, route: 'query' | 'job'): string[];
  /** Builds (and, with `keepWireText`, keeps) the results of every conversation a job of `body` returns; their count. */
  warmJobResults(body: object): number;
  close(): Promise<void>;
}

/** Options that change the generated data; changing one at runtime rebuilds the dataset. */
const DATA_KEYS = ['seed', 'conversations', 'days', 'anchor', 'orgName', 'xssCorpus', 'keepWireText'] as const;

export class SandboxServer implements Sandbox {
  private _options: SandboxOptions;
  private _data: Dataset;
  private readonly _tokens = new TokenStore();
  private readonly _limiter = new RateLimiter();
  private readonly _faults: FaultInjector;
  private readonly _jobs: JobStore;
  private readonly _router: Router;
  private _stats: SandboxStats = emptyStats();
  private _inFlight = 0;
  private _server?: Server;
  private _port = 0;

  constructor(options: SandboxOptions) {
    this._options = options;
    this._data = new Dataset(options, Date.parse(options.anchor ?? defaultAnchor(Date.now())));
    this._faults = new FaultInjector(options.seed);
    this._jobs = new JobStore(() => this._options, () => this._data, this._faults);
    this._router = apiRouter({ options: () => this._options, data: () => this._data, jobs: this._jobs, tokens: this._tokens });
  }

  get url(): string {
    return `http://${this._options.host.includes(':') ? `[${this._options.host}]` : this._options.host}:${this._port}`;
  }

  get port(): number {
    return this._port;
  }

  get options(): Readonly<SandboxOptions> {
    return this._options;
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this._handle(req, res).catch(() => {
        // Last line of defence: a handler bug must never crash the process or leak a stack trace.
        if (!res.headersSent) {
          this._write(res, randomUUID(), Errors.internal().status, Errors.internal().toBody(randomUUID()), {}, undefined);
        } else {
          res.destroy();
        }
      });
    });
    server.on('clientError', (_err, socket) => {
      if (socket.writable) {
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n');
      } else {
        socket.destroy();
      }
    });
    this._server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this._options.port, this._options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this._port = (server.address() as AddressInfo).port;
  }

  configure(patch: DeepPartial<SandboxOptions>): void {
    const next = mergeOptions(this._options, patch);
    const dataChanged = DATA_KEYS.some((k) => next[k] !== this._options[k]);
    // Host and port only matter at start-up; keep the real ones.
    next.host = this._options.host;
    next.port = this._options.port;
    // Build the new data before committing anything: a value that passes validation can still fail
    // here (days: 1e9 cannot be allocated), and then options and data must stay as they were.
    let data: Dataset | undefined;
    if (dataChanged) {
      next.anchor ??= defaultAnchor(Date.now());
      data = new Dataset(next, Date.parse(next.anchor));
    }
    this._options = next;
    if (data) {
      this._data = data;
      this._jobs.clear();
    }
  }

  revokeTokens(): void {
    this._tokens.revokeAll();
  }

  stats(): SandboxStats {
    return { ...this._stats, byRoute: { ...this._stats.byRoute }, byStatus: { ...this._stats.byStatus }, inFlight: this._inFlight };
  }

  resetStats(): void {
    this._stats = emptyStats();
    this._limiter.reset();
  }

  groundTruth(body: object, route: 'query' | 'job'): string[] {
    if (route === 'job') {
      return this._jobs.groundTruth(body, Date.now());
    }
    return syncGroundTruth(parseQueryBody(body, 'query', this._options), this._data);
  }

  warmJobResults(body: object): number {
    return this._jobs.warm(body, Date.now());
  }

  async close(): Promise<void> {
    const server = this._server;
    if (!server) {
      return;
    }
    this._server = undefined;
    this._jobs.clear();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async _handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const isApi = !(req.url ?? '').startsWith('/__sandbox/');
    if (isApi) {
      this._inFlight++;
    }
    try {
      await this._serve(req, res);
    } finally {
      if (isApi) {
        this._inFlight--;
      }
    }
  }

  private async _serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const correlationId = randomUUID();
    const method = req.method ?? 'GET';
    const url = parseUrl(req.url);
    const path = url.pathname;
    const raw = await readBody(req);
    const o = this._options;
    const isControl = path.startsWith('/__sandbox/');
    let serverDropped = false;
    if (!isControl) {
      res.once('close', () => {
        if (!res.writableFinished && !serverDropped) {
          this._stats.clientAborts++;
        }
      });
    }
    let routeName = 'unmatched';
    let rate: RateState | undefined;
    let reply: Reply;
    let malformed = false;
    let cut = false;
    try {
      if (raw === 'tooLarge') {
        throw Errors.payloadTooLarge();
      }
      if (isControl) {
        routeName = `${method} ${path}`;
        reply = handleControl(method, path, url.searchParams, raw, this, this._options);
      } else if (path === '/oauth/token' || path === '/oauth/token/') {
        routeName = 'POST /oauth/token';
        if (method !== 'POST') {
          throw Errors.methodNotAllowed(method);
        }
        reply = issueToken(req.headers, raw, o, this._tokens, Date.now());
      } else {
        const m = this._router.match(method, path);
        if (m.kind === 'none') {
          throw Errors.notFound(`No resource matches ${method} ${path}.`);
        }
        if (m.kind === 'wrongMethod') {
          throw Errors.methodNotAllowed(method);
        }
        routeName = `${method} ${m.route.template}`;
        const token = parseBearer(typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined);
        if (!token) {
          throw Errors.authRequired();
        }
        const now = Date.now();
        const clientId = this._tokens.check(token, now);
        if (clientId === undefined) {
          throw Errors.badCredentials();
        }
        const needed = m.route.permissions;
        if (needed && !needed.some((p) => o.permissions.includes(p))) {
          throw Errors.missingAnyPermissions(needed);
        }
        rate = this._limiter.consume(token, o.rateLimitPerMinute, now);
        if (!rate.allowed) {
          throw Errors.tooManyRequests(rate.resetSeconds);
        }
        const fault = this._faults.pick(o.faults);
        if (fault === 'reset') {
          this._count(routeName, 'reset');
          this._log(`${method} ${req.url ?? path} -> connection reset (fault) ${Date.now() - started}ms`);
          serverDropped = true;
          req.socket.destroy();
          return;
        }
        if (fault === 'error500') {
          throw Errors.internal();
        }
        if (fault === 'error503') {
          throw Errors.unavailable();
        }
        if (fault === 'rate429') {
          throw Errors.tooManyRequests(o.faults.retryAfterSeconds);
        }
        const ctx: RequestContext = { method, path, query: url.searchParams, params: m.params, headers: req.headers, body: undefined, rawBody: raw, clientId, token, now };
        if (m.route.jsonBody) {
          ctx.body = parseJsonBody(req, raw);
        }
        reply = await m.route.handler(ctx);
        if (m.route.template === JOBS_TEMPLATE && reply.status === 202) {
          this._stats.jobsCreated++;
          if (this._faults.roll(o.faults.dropJobResponseShare)) {
            // The job exists now, but its id never reaches the client: the ambiguous case a client
            // must not "fix" by submitting again (it would create a second job).
            this._count(routeName, 'dropped');
            this._log(`${method} ${req.url ?? path} -> job created, response dropped (fault) ${Date.now() - started}ms`);
            serverDropped = true;
            req.socket.destroy();
            return;
          }
        }
        malformed = reply.status === 200 && this._faults.roll(o.faults.malformedJsonShare);
        cut = reply.status === 200 && !malformed && this._faults.roll(o.faults.cutBodyShare);
      }
    } catch (err) {
      const e = err instanceof ApiError ? err : Errors.internal();
      reply = { status: e.status, body: e.toBody(correlationId), headers: e.headers };
    }
    const handled = Date.now() - started;
    if (!isControl) {
      this._stats.handlerMs += handled;
    }
    let delay = o.latencyMs + Math.max(0, (reply.serviceMs ?? 0) - handled);
    if (!isControl && path !== '/oauth/token' && this._faults.roll(o.faults.slowShare)) {
      delay += o.faults.slowMs;
    }
    if (delay > 0) {
      await new Promise((r) => setTimeout(r, delay));
    }
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    if (!isControl) {
      const limit = rate?.limit ?? (o.rateLimitPerMinute > 0 ? o.rateLimitPerMinute : 2147483647);
      headers['inin-ratelimit-allowed'] = String(limit);
      headers['inin-ratelimit-count'] = String(rate?.count ?? 0);
      headers['inin-ratelimit-reset'] = String(rate?.resetSeconds ?? 60);
    }
    this._write(res, correlationId, reply.status, reply.body, headers, malformed ? 'truncate' : cut ? 'cut' : undefined);
    if (!isControl) {
      this._count(routeName, String(reply.status));
    }
    this._log(`${method} ${req.url ?? path} -> ${reply.status} ${Date.now() - started}ms`);
  }

  private _write(res: ServerResponse, correlationId: string, status: number, body: unknown, headers: Record<string, string>, mode: 'truncate' | 'cut' | undefined): void {
    res.setHeader('inin-correlation-id', correlationId);
    for (const [k, v] of Object.entries(headers)) {
      res.setHeader(k, v);
    }
    if (status === 204 || body === undefined) {
      res.writeHead(status);
      res.end();
      return;
    }
    // Results pages come as bytes (jobs.ts); any other body is serialised here.
    let bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    if (mode === 'truncate') {
      // Cut the document in half: no JSON parser accepts it, as after a proxy dropped the connection mid-body.
      bytes = bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)));
    }
    res.setHeader('Content-Type', 'application/json; charset=UTF-8');
    res.setHeader('Content-Length', bytes.length);
    res.writeHead(status);
    if (mode === 'cut') {
      // Half the promised bytes, then the connection goes: the client is left mid-body.
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.end(bytes);
  }

  private _count(route: string, status: string): void {
    this._stats.requests++;
    this._stats.byRoute[route] = (this._stats.byRoute[route] ?? 0) + 1;
    this._stats.byStatus[status] = (this._stats.byStatus[status] ?? 0) + 1;
  }

  private _log(line: string): void {
    this._options.log?.(line);
  }
}

function emptyStats(): SandboxStats {
  return { requests: 0, byRoute: {}, byStatus: {}, jobsCreated: 0, clientAborts: 0, inFlight: 0, handlerMs: 0 };
}

function parseUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? '/', 'http://sandbox');
  } catch {
    // An unparseable request target matches no route and ends as a 404, never a crash.
    return new URL('http://sandbox/__unparseable__');
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | 'tooLarge'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'tooLarge' : Buffer.concat(chunks)));
    req.on('error', () => resolve(tooLarge ? 'tooLarge' : Buffer.concat(chunks)));
  });
}

function parseJsonBody(req: IncomingMessage, raw: Buffer): unknown {
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw Errors.unsupportedMediaType(type || '(none)');
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') {
    throw Errors.badRequest('A JSON request body is required.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw Errors.badRequest('The request could not be understood by the server due to malformed syntax: the body is not valid JSON.');
  }
}

export async function startSandbox(options?: DeepPartial<SandboxOptions>): Promise<Sandbox> {
  const merged = mergeOptions(defaultOptions(), options);
  merged.anchor ??= defaultAnchor(Date.now());
  const sandbox = new SandboxServer(merged);
  await sandbox.listen();
  return sandbox;
}
