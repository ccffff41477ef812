import type { QueryRoute } from './queryFile';

/**
 * "Copy as cURL / gc command / SDK snippet" for a query file, for automation outside VS Code. Pure: the
 * caller passes the resolved body and where the active connection points. The token is ALWAYS a shell or
 * environment placeholder (`$GENESYS_TOKEN`): these generators never see a real one.
 */

/** The environment variable the snippets read the access token from. */
export const TOKEN_VARIABLE = 'GENESYS_TOKEN';

/** Where requests go: a Genesys region host (`mypurecloud.ie`) or a sandbox's base URL. */
export type CopyTarget = { kind: 'region'; host: string } | { kind: 'sandbox'; url: string };

export interface CopyRequest {
  route: QueryRoute;
  /** The body exactly as the extension would send it (meta stripped, interval resolved). */
  body: Record<string, unknown>;
  target: CopyTarget;
  /** Job results page size for the follow-up calls. */
  jobPageSize?: number;
  /** Shown in a first comment line (the query file's name). */
  title?: string;
}

export type CopyFormat = 'curl' | 'gc' | 'sdk';

const QUERY_PATH = '/api/v2/analytics/conversations/details/query';
const JOBS_PATH = '/api/v2/analytics/conversations/details/jobs';

/**
 * POSIX single-quoting: everything between single quotes is literal (no `$()`, backticks, `\`, newlines
 * interpreted); a single quote itself ends the quote, is escaped, and reopens it.
 */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Base URL of the API: `https://api.<host>` for a region, the sandbox's own URL otherwise. */
export function apiBaseUrl(target: CopyTarget): string {
  return target.kind === 'region' ? `https://api.${target.host.replace(/^api\./, '')}` : target.url.replace(/\/+$/, '');
}

/** First line(s): what this is and where the token comes from. */
function header(req: CopyRequest, what: string): string[] {
  return [
    `# ${what}${req.title ? ` of ${req.title.replace(/[\r\n]+/g, ' ')}` : ''} (${req.route === 'job' ? 'async job' : 'sync query'})`,
    `# Set ${TOKEN_VARIABLE} to an OAuth access token first (for example from your CI's secret store).`,
  ];
}

function json(body: Record<string, unknown>): string {
  return JSON.stringify(body, null, 2);
}

/** A cURL command (sync query), or the job submission followed by the poll and results calls as comments. */
export function toCurl(req: CopyRequest): string {
  const base = apiBaseUrl(req.target);
  const auth = `-H "Authorization: Bearer $${TOKEN_VARIABLE}"`;
  const lines = header(req, 'cURL');
  const url = `${base}${req.route === 'job' ? JOBS_PATH : QUERY_PATH}`;
  lines.push(`curl -sS --fail-with-body -X POST ${shellQuote(url)} \\`, `  ${auth} \\`, `  -H 'Content-Type: application/json' \\`, `  --data-binary ${shellQuote(json(req.body))}`);
  if (req.route === 'job') {
    const pageSize = req.jobPageSize ?? 1000;
    lines.push(
      '# The answer is {"jobId": "…"}. Poll until "state" is FULFILLED, then page the results with the cursor of each page:',
      `# curl -sS ${auth} ${shellQuote(`${base}${JOBS_PATH}/JOB_ID`)}`,
      `# curl -sS ${auth} ${shellQuote(`${base}${JOBS_PATH}/JOB_ID/results?pageSize=${pageSize}`)}   # then &cursor=…`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The `gc` CLI command (MyPureCloud/platform-client-sdk-cli): `create` reads the body from stdin. The
 * token goes through the CLI's own environment variable (not `--accesstoken`, which `ps` would show). A
 * sandbox is reached with `--environment localhost:PORT`, which the CLI calls over plain HTTP without OAuth.
 */
export function toGcCommand(req: CopyRequest): string {
  const env = gcEnvironment(req.target);
  const prefix = `GENESYSCLOUD_ACCESS_TOKEN="$${TOKEN_VARIABLE}" gc`;
  const lines = header(req, 'gc CLI command');
  const op = req.route === 'job' ? 'analytics conversations details jobs create' : 'analytics conversations details query create';
  lines.push(`printf '%s\\n' ${shellQuote(json(req.body))} \\`, `  | ${prefix} ${op} --environment ${shellQuote(env)}`);
  if (req.route === 'job') {
    lines.push(
      '# The answer is {"jobId": "…"}. Then:',
      `# ${prefix} analytics conversations details jobs get JOB_ID --environment ${shellQuote(env)}`,
      `# ${prefix} analytics conversations details jobs results list JOB_ID --pageSize ${req.jobPageSize ?? 1000} --autopaginate --environment ${shellQuote(env)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The `--environment` of the gc CLI: the region host, or `localhost:PORT` for a sandbox on loopback. */
export function gcEnvironment(target: CopyTarget): string {
  if (target.kind === 'region') {
    return target.host.replace(/^api\./, '');
  }
  const url = new URL(target.url);
  const local = url.hostname === '127.0.0.1' || url.hostname === '::1' || url.hostname === '[::1]' || url.hostname === 'localhost';
  return `${local ? 'localhost' : url.hostname}${url.port ? `:${url.port}` : ''}`;
}

/**
 * A TypeScript snippet with the official SDK (`purecloud-platform-client-v2`): sync query (every page)
 * or job (submit, poll, walk the cursor). The body is a JSON literal, so no string in it can escape.
 */
export function toSdkSnippet(req: CopyRequest): string {
  const lines = [
    `// ${req.route === 'job' ? 'Async job' : 'Sync query'}${req.title ? ` of ${req.title.replace(/[\r\n]+/g, ' ')}` : ''}: npm install purecloud-platform-client-v2`,
    `// Set ${TOKEN_VARIABLE} to an OAuth access token (or call client.loginClientCredentialsGrant instead).`,
    "import * as platformClient from 'purecloud-platform-client-v2';",
    '',
    'const client = platformClient.ApiClient.instance;',
    ...targetLines(req.target),
    `client.setAccessToken(process.env.${TOKEN_VARIABLE} ?? '');`,
    'const analytics = new platformClient.AnalyticsApi();',
    '',
  ];
  const body = json(req.body);
  if (req.route === 'job') {
    lines.push(
      `const body: platformClient.Models.AsyncConversationQuery = ${body};`,
      '',
      'export async function run(): Promise<platformClient.Models.AnalyticsConversation[]> {',
      '  const { jobId } = await analytics.postAnalyticsConversationsDetailsJobs(body);',
      '  for (;;) {',
      '    const status = await analytics.getAnalyticsConversationsDetailsJob(jobId!);',
      "    if (status.state === 'FULFILLED') break;",
      "    if (status.state !== 'QUEUED' && status.state !== 'PENDING') throw new Error(`Job ${jobId} ended ${status.state}: ${status.errorMessage ?? ''}`);",
      '    await new Promise((resolve) => setTimeout(resolve, 2000));',
      '  }',
      '  const conversations: platformClient.Models.AnalyticsConversation[] = [];',
      '  let cursor: string | undefined;',
      '  do {',
      `    const page = await analytics.getAnalyticsConversationsDetailsJobResults(jobId!, { pageSize: ${req.jobPageSize ?? 1000}, ...(cursor ? { cursor } : {}) });`,
      '    conversations.push(...(page.conversations ?? []));',
      '    cursor = page.cursor;',
      '  } while (cursor);',
      '  return conversations;',
      '}',
    );
  } else {
    lines.push(
      `const body: platformClient.Models.ConversationQuery = ${body};`,
      '',
      'export async function run(): Promise<platformClient.Models.AnalyticsConversationWithoutAttributes[]> {',
      '  const pageSize = body.paging?.pageSize ?? 100;',
      '  const conversations: platformClient.Models.AnalyticsConversationWithoutAttributes[] = [];',
      '  for (let pageNumber = body.paging?.pageNumber ?? 1; ; pageNumber++) {',
      '    const page = await analytics.postAnalyticsConversationsDetailsQuery({ ...body, paging: { pageSize, pageNumber } });',
      '    const got = page.conversations ?? [];',
      '    conversations.push(...got);',
      '    // An empty page omits `conversations`; Genesys caps paging at 100,000 results (use a job for more).',
      '    if (got.length < pageSize) break;',
      '  }',
      '  return conversations;',
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

function targetLines(target: CopyTarget): string[] {
  if (target.kind === 'region') {
    return [`client.setEnvironment(${JSON.stringify(target.host.replace(/^api\./, ''))});`];
  }
  const url = new URL(target.url);
  const gateway: Record<string, unknown> = { host: url.hostname.replace(/^\[|\]$/g, ''), protocol: url.protocol === 'https:' ? 'https' : 'http' };
  if (url.port) {
    gateway.port = Number(url.port);
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path) {
    gateway.path_params_api = path;
    gateway.path_params_login = path;
  }
  return ['// The built-in sandbox (a local emulator of the Genesys Cloud API):', `client.setGateway(${JSON.stringify(gateway)});`];
}

/** One of the three forms. */
export function copyAs(format: CopyFormat, req: CopyRequest): string {
  return format === 'curl' ? toCurl(req) : format === 'gc' ? toGcCommand(req) : toSdkSnippet(req);
}
