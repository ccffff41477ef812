import { isPlainObject } from '../common/isPlainObject';

/**
 * Every knob of the sandbox, with the defaults of the emulator contract (shared/genesys-api.md §9).
 * Each [?] item of the contract is a knob here so tests can model the variants a real org might show.
 */
export interface SandboxFaults {
  /** Share (0..1) of API requests answered 429 too.many.requests with Retry-After. */
  rate429Share: number;
  retryAfterSeconds: number;
  /** Share answered 500 internal.server.error / 503 service.unavailable, alternating. */
  error5xxShare: number;
  /** Share whose socket is destroyed without a response (the client sees ECONNRESET). */
  resetShare: number;
  slowShare: number;
  slowMs: number;
  /** Share of 200 responses whose JSON body is truncated. */
  malformedJsonShare: number;
  /**
   * Share of 200 responses whose connection drops mid-body: the headers (Content-Length of the whole
   * body) and half the body are sent, then the socket is destroyed, as when the network drops mid-page.
   */
  cutBodyShare?: number;
  /** true/1: every new job ends FAILED; a number in (0,1): that share of new jobs. */
  failJobs: boolean | number;
  /** 0 = off; N: a job becomes EXPIRED once N results pages have been served for it. */
  expireJobsAfterPages: number;
  /** Share of results pages replaced by the previous page again, byte for byte (a cursor loop). */
  repeatPageShare?: number;
  /** Share of results pages replaced by an empty page that still carries the same cursor. */
  emptyPageShare?: number;
  /**
   * Share of job submissions (POST …/details/jobs) that create the job and then drop the connection
   * without answering: the client sees a reset and cannot know the job id (stats().jobsCreated counts it).
   */
  dropJobResponseShare?: number;
}

export interface SandboxOptions {
  host: string;
  port: number;
  seed: number;
  conversations: number;
  days: number;
  /** ISO instant; the data covers [anchor - days, anchor). Same seed + anchor => same data. */
  anchor?: string;
  latencyMs: number;
  rateLimitPerMinute: number;
  jobQueuedMs: number;
  jobRunMs: number;
  jobTtlSeconds: number;
  /**
   * Data-lake time per 1000 rows of a results page (a page of n rows takes n/1000 of it), like a real
   * org's results pages; 0 = off. The sandbox's own time to build the page counts towards it.
   */
  resultsPageMsPer1000: number;
  /** Cap on the org's concurrently running (QUEUED/PENDING) jobs: a submission past it is answered 429 with `limit`; 0 = off. */
  maxRunningJobs: number;
  tokenTtlSeconds: number;
  syncMaxPageSize: number;
  jobMaxPageSize: number;
  jobDefaultPageSize: number;
  deepPagingCap: number;
  maxSyncIntervalDays: number;
  availabilityLagSeconds: number;
  clientId: string;
  clientSecret: string;
  orgName?: string;
  /**
   * Plant hostile strings (script/markup injections, RTL and zero-width characters, a 10 KB string) in
   * about one conversation in 40: participant names, attributes, wrap-up notes. See generator/xssCorpus.ts.
   */
  xssCorpus: boolean;
  /**
   * Keep each conversation's job-results JSON once built (~4.4 KB a conversation), as a data lake serves
   * stored rows instead of building them per request. Benchmarks turn it on and warm it
   * (`warmJobResults`), so the sandbox's CPU does not compete with the client they time on shared cores.
   */
  keepWireText: boolean;
  /** Permissions granted to the OAuth client's role; analytics routes answer 403 missing.any.permissions without them. */
  permissions: string[];
  faults: SandboxFaults;
  log?: (line: string) => void;
}

export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends (...args: never[]) => unknown ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

/** What the sandbox client is granted by default: everything the analytics routes can ask for. */
export const ALL_PERMISSIONS = ['analytics:conversationDetail:view', 'analytics:agentConversationDetail:view'] as const;

export function defaultFaults(): SandboxFaults {
  return {
    rate429Share: 0,
    retryAfterSeconds: 1,
    error5xxShare: 0,
    resetShare: 0,
    slowShare: 0,
    slowMs: 0,
    malformedJsonShare: 0,
    cutBodyShare: 0,
    failJobs: false,
    expireJobsAfterPages: 0,
    repeatPageShare: 0,
    emptyPageShare: 0,
    dropJobResponseShare: 0,
  };
}

export function defaultOptions(): SandboxOptions {
  return {
    host: '127.0.0.1',
    port: 0,
    seed: 42,
    conversations: 5000,
    days: 28,
    latencyMs: 0,
    rateLimitPerMinute: 300,
    jobQueuedMs: 500,
    jobRunMs: 1500,
    jobTtlSeconds: 172800,
    resultsPageMsPer1000: 0,
    maxRunningJobs: 0,
    tokenTtlSeconds: 86399,
    syncMaxPageSize: 100,
    jobMaxPageSize: 1000,
    jobDefaultPageSize: 100,
    deepPagingCap: 100000,
    maxSyncIntervalDays: 31,
    availabilityLagSeconds: 900,
    clientId: 'sandbox-client',
    clientSecret: 'sandbox-secret',
    orgName: 'Sandbox Org',
    xssCorpus: true,
    keepWireText: false,
    permissions: [...ALL_PERMISSIONS],
    faults: defaultFaults(),
  };
}

/** Start of the current UTC hour: the default anchor, so a newcomer's sandbox always holds "recent" data. */
export function defaultAnchor(now: number): string {
  return new Date(Math.floor(now / 3_600_000) * 3_600_000).toISOString();
}

const numberKeys = [
  'port', 'seed', 'conversations', 'days', 'latencyMs', 'rateLimitPerMinute', 'jobQueuedMs', 'jobRunMs',
  'jobTtlSeconds', 'tokenTtlSeconds', 'syncMaxPageSize', 'jobMaxPageSize', 'jobDefaultPageSize', 'deepPagingCap',
  'maxSyncIntervalDays', 'availabilityLagSeconds', 'resultsPageMsPer1000', 'maxRunningJobs',
] as const;
const stringKeys = ['host', 'clientId', 'clientSecret', 'orgName', 'anchor'] as const;
const shareKeys = ['rate429Share', 'error5xxShare', 'resetShare', 'slowShare', 'malformedJsonShare', 'cutBodyShare', 'repeatPageShare', 'emptyPageShare', 'dropJobResponseShare'] as const;
const faultNumberKeys = ['retryAfterSeconds', 'slowMs', 'expireJobsAfterPages'] as const;

const BOOLEAN_KEYS = ['xssCorpus', 'keepWireText'] as const;

/**
 * Deep-merges a patch into options, validating every value so a typo in a test or a PATCH
 * /__sandbox/config fails loudly instead of silently doing nothing. Throws Error with a readable message.
 */
export function mergeOptions(base: SandboxOptions, patch: unknown): SandboxOptions {
  if (patch === undefined || patch === null) {
    return { ...base, permissions: [...base.permissions], faults: { ...base.faults } };
  }
  if (!isPlainObject(patch)) {
    throw new Error('options patch must be an object');
  }
  const out: SandboxOptions = { ...base, permissions: [...base.permissions], faults: { ...base.faults } };
  const known = new Set<string>([...numberKeys, ...stringKeys, 'faults', 'log', 'permissions', ...BOOLEAN_KEYS]);
  for (const key of Object.keys(patch)) {
    if (!known.has(key)) {
      throw new Error(`unknown option "${key}"`);
    }
  }
  copyChecked(patch, out, numberKeys, isNonNegative, 'option', 'a non-negative number');
  copyChecked(patch, out, stringKeys, (v) => typeof v === 'string', 'option', 'a string');
  if (patch.permissions !== undefined) {
    const p = patch.permissions;
    if (!Array.isArray(p) || !p.every((x): x is string => typeof x === 'string')) {
      throw new Error('option "permissions" must be an array of strings');
    }
    out.permissions = [...p];
  }
  for (const key of BOOLEAN_KEYS) {
    const v = patch[key];
    if (v !== undefined) {
      if (typeof v !== 'boolean') {
        throw new Error(`option "${key}" must be true or false`);
      }
      out[key] = v;
    }
  }
  if (patch.log !== undefined) {
    if (typeof patch.log !== 'function') {
      throw new Error('option "log" must be a function');
    }
    out.log = patch.log as (line: string) => void;
  }
  if (patch.faults !== undefined) {
    const f = patch.faults;
    if (!isPlainObject(f)) {
      throw new Error('option "faults" must be an object');
    }
    const knownFaults = new Set<string>([...shareKeys, ...faultNumberKeys, 'failJobs']);
    for (const key of Object.keys(f)) {
      if (!knownFaults.has(key)) {
        throw new Error(`unknown fault "${key}"`);
      }
    }
    copyChecked(f, out.faults, shareKeys, (v) => typeof v === 'number' && v >= 0 && v <= 1, 'fault', 'a number between 0 and 1');
    copyChecked(f, out.faults, faultNumberKeys, isNonNegative, 'fault', 'a non-negative number');
    if (f.failJobs !== undefined) {
      const v = f.failJobs;
      if (typeof v !== 'boolean' && !(typeof v === 'number' && v >= 0 && v <= 1)) {
        throw new Error('fault "failJobs" must be a boolean or a number between 0 and 1');
      }
      out.faults.failJobs = v;
    }
  }
  if (out.anchor !== undefined && Number.isNaN(Date.parse(out.anchor))) {
    throw new Error(`option "anchor" is not an ISO instant: ${out.anchor}`);
  }
  for (const key of ['conversations', 'days', 'seed', 'port', 'maxRunningJobs'] as const) {
    if (!Number.isInteger(out[key])) {
      throw new Error(`option "${key}" must be an integer`);
    }
  }
  if (out.days < 1) {
    throw new Error('option "days" must be at least 1');
  }
  // The timeline keeps two hour-indexed tables: 100 years is ~14 MB, 1e9 days cannot be allocated.
  if (out.days > 36_500) {
    throw new Error('option "days" must be at most 36,500');
  }
  if (out.conversations > 50_000_000) {
    throw new Error('option "conversations" must be at most 50,000,000');
  }
  if (out.syncMaxPageSize < 1 || out.jobMaxPageSize < 1 || out.jobDefaultPageSize < 1) {
    throw new Error('page sizes must be at least 1');
  }
  return out;
}

function isNonNegative(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** Copies each of `keys` present in `from` to `to`, throwing `<what> "<key>" must be <requirement>` when `ok` refuses it. */
function copyChecked<K extends string>(from: Record<string, unknown>, to: object, keys: readonly K[], ok: (v: unknown) => boolean, what: string, requirement: string): void {
  for (const key of keys) {
    const v = from[key];
    if (v === undefined) {
      continue;
    }
    if (!ok(v)) {
      throw new Error(`${what} "${key}" must be ${requirement}`);
    }
    (to as Record<string, unknown>)[key] = v;
  }
}

/** The options as JSON for GET /__sandbox/config (functions dropped). */
export function optionsToJson(o: SandboxOptions): Record<string, unknown> {
  const { log: _log, ...rest } = o;
  return { ...rest, permissions: [...o.permissions], faults: { ...o.faults } };
}
