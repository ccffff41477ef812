import type { DeepPartial, SandboxFaults, SandboxOptions } from './options';

/** Thrown for a bad command line; the CLI prints the message and exits 2. */
export class UsageError extends Error {}

type Setter = (o: DeepPartial<SandboxOptions>, value: string) => void;

const num = (flag: string, value: string, opts: { int?: boolean; max?: number } = {}): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (opts.int && !Number.isInteger(n)) || (opts.max !== undefined && n > opts.max)) {
    const what = opts.max === 1 ? 'a number between 0 and 1' : opts.int ? 'a non-negative integer' : 'a non-negative number';
    throw new UsageError(`${flag} expects ${what}, got "${value}"`);
  }
  return n;
};

const top = (key: keyof SandboxOptions, int = true): Setter => (o, v) => {
  (o as Record<string, unknown>)[key] = num(`--${key}`, v, { int });
};
const fault = (key: keyof SandboxFaults, share: boolean): Setter => (o, v) => {
  o.faults = { ...(o.faults ?? {}), [key]: num(`fault ${key}`, v, share ? { max: 1 } : { int: false }) };
};

const FLAGS: Record<string, { set: Setter; help: string }> = {
  '--port': { set: top('port'), help: 'TCP port (0 = ephemeral); default 0' },
  '--host': { set: (o, v) => (o.host = v), help: 'interface to bind; default 127.0.0.1' },
  '--seed': { set: top('seed'), help: 'data seed; default 42' },
  '--conversations': { set: top('conversations'), help: 'number of conversations; default 5000' },
  '--days': { set: top('days'), help: 'days of history before the anchor; default 28' },
  '--anchor': {
    set: (o, v) => {
      if (Number.isNaN(Date.parse(v))) {
        throw new UsageError(`--anchor expects an ISO instant, got "${v}"`);
      }
      o.anchor = new Date(Date.parse(v)).toISOString();
    },
    help: 'end of the data window (ISO); default: start of the current UTC hour',
  },
  '--latency': { set: top('latencyMs'), help: 'ms added to every response; default 0' },
  '--rate-limit': { set: top('rateLimitPerMinute'), help: 'requests per token per minute (0 = unlimited); default 300' },
  '--job-queued-ms': { set: top('jobQueuedMs'), help: 'ms a job stays QUEUED; default 500' },
  '--job-run-ms': { set: top('jobRunMs'), help: 'ms a job stays PENDING; default 1500' },
  '--job-ttl': { set: top('jobTtlSeconds'), help: 'seconds results live after completion; default 172800' },
  '--page-ms-per-1000': { set: top('resultsPageMsPer1000', false), help: 'server ms per 1000 rows of a results page (0 = off); default 0' },
  '--max-running-jobs': { set: top('maxRunningJobs'), help: 'cap on concurrently running jobs; past it a submission gets 429 with limit (0 = off); default 0' },
  '--token-ttl': { set: top('tokenTtlSeconds'), help: 'token lifetime in seconds; default 86399' },
  '--sync-max-page-size': { set: top('syncMaxPageSize'), help: 'max sync paging.pageSize; default 100' },
  '--job-max-page-size': { set: top('jobMaxPageSize'), help: 'max results pageSize; default 1000' },
  '--job-default-page-size': { set: top('jobDefaultPageSize'), help: 'results pageSize when absent; default 100' },
  '--deep-paging-cap': { set: top('deepPagingCap'), help: 'max pageNumber*pageSize (0 = off); default 100000' },
  '--max-interval-days': { set: top('maxSyncIntervalDays'), help: 'max sync interval in days (0 = off); default 31' },
  '--availability-lag': { set: top('availabilityLagSeconds'), help: 'data-lake lag in seconds; default 900' },
  '--client-id': { set: (o, v) => (o.clientId = v), help: "OAuth client id; default 'sandbox-client'" },
  '--client-secret': { set: (o, v) => (o.clientSecret = v), help: "OAuth client secret; default 'sandbox-secret'" },
  '--permissions': {
    set: (o, v) => (o.permissions = v.split(',').map((p) => p.trim()).filter((p) => p !== '')),
    help: 'comma-separated permissions of the client ("" = none); default: both analytics view permissions',
  },
  '--xss-corpus': {
    set: (o, v) => {
      if (v !== 'on' && v !== 'off') {
        throw new UsageError(`--xss-corpus expects on or off, got "${v}"`);
      }
      o.xssCorpus = v === 'on';
    },
    help: 'hostile strings in ~1 in 40 conversations (names, attributes, wrap-up notes): on|off; default on',
  },
  '--fault-429': { set: fault('rate429Share', true), help: 'share of API requests answered 429' },
  '--retry-after': { set: fault('retryAfterSeconds', false), help: 'Retry-After seconds of injected 429s; default 1' },
  '--fault-5xx': { set: fault('error5xxShare', true), help: 'share answered 500/503' },
  '--fault-reset': { set: fault('resetShare', true), help: 'share whose connection is reset' },
  '--fault-slow': { set: fault('slowShare', true), help: 'share delayed by --slow-ms' },
  '--slow-ms': { set: fault('slowMs', false), help: 'delay of slow responses in ms' },
  '--fault-malformed': { set: fault('malformedJsonShare', true), help: 'share of 200s with truncated JSON' },
  '--fault-cut-body': { set: fault('cutBodyShare', true), help: 'share of 200s whose connection drops mid-body' },
  '--fail-jobs': { set: fault('failJobs', true), help: 'share of new jobs that end FAILED (1 = all)' },
  '--expire-after-pages': { set: fault('expireJobsAfterPages', false), help: 'a job expires after N results pages (0 = off)' },
  '--fault-repeat-page': { set: fault('repeatPageShare', true), help: 'share of results pages repeated byte for byte' },
  '--fault-empty-page': { set: fault('emptyPageShare', true), help: 'share of results pages served empty with a cursor' },
  '--fault-drop-job-response': { set: fault('dropJobResponseShare', true), help: 'share of job submissions that create the job, then drop the response' },
};

export function usage(): string {
  const lines = Object.entries(FLAGS).map(([flag, f]) => `  ${flag.padEnd(24)} ${f.help}`);
  return ['Usage: npm run sandbox -- [options]', '', 'Genesys Cloud analytics API sandbox (local emulator).', '', ...lines, `  ${'--help'.padEnd(24)} show this help`].join('\n');
}

/** Parses `--flag value` / `--flag=value`. Throws UsageError on anything unknown or malformed. */
export function parseSandboxArgs(argv: string[]): DeepPartial<SandboxOptions> {
  const out: DeepPartial<SandboxOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS[flag];
    if (!spec) {
      throw new UsageError(`unknown option "${arg}"`);
    }
    let value: string | undefined;
    if (eq > 0) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) {
      throw new UsageError(`${flag} needs a value`);
    }
    spec.set(out, value);
  }
  return out;
}
