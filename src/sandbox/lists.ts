import type { Dataset } from './dataset';
import { ApiError, Errors } from './errors';
import { queryInt, type Reply, type RequestContext } from './http';
import type { SandboxOptions } from './options';

/** Directory endpoints with Genesys list paging ({entities, pageSize, pageNumber, total, pageCount}). */

const MAX_LIST_PAGE = 500;
const CREATED = '2024-01-15T09:00:00.000Z';

function listPaging(q: URLSearchParams): { pageSize: number; pageNumber: number } {
  return { pageSize: queryInt(q, 'pageSize', 25, MAX_LIST_PAGE), pageNumber: queryInt(q, 'pageNumber', 1, Number.MAX_SAFE_INTEGER) };
}

function page<T>(ctx: RequestContext, all: T[]): Reply {
  const { pageSize, pageNumber } = listPaging(ctx.query);
  const total = all.length;
  const pageCount = Math.ceil(total / pageSize);
  // Keep the request's filters (name, id...) in the page links: clients such as the gc CLI follow nextUri.
  const uri = (n: number) => {
    const q = new URLSearchParams(ctx.query);
    q.set('pageSize', String(pageSize));
    q.set('pageNumber', String(n));
    return `${ctx.path}?${q.toString()}`;
  };
  const body: Record<string, unknown> = {
    entities: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
    pageSize,
    pageNumber,
    total,
    pageCount,
    firstUri: uri(1),
    selfUri: uri(pageNumber),
    lastUri: uri(Math.max(1, pageCount)),
  };
  if (pageNumber < pageCount) {
    body.nextUri = uri(pageNumber + 1);
  }
  if (pageNumber > 1) {
    body.previousUri = uri(pageNumber - 1);
  }
  return { status: 200, body };
}

/** Genesys name filters are case-insensitive and allow leading/trailing '*'. */
function nameMatcher(raw: string | null): (name: string) => boolean {
  if (raw === null || raw === '') {
    return () => true;
  }
  const pattern = raw.toLowerCase();
  return (name) => globMatch(pattern, name.toLowerCase());
}

/**
 * `*` matches any run of characters. Linear-time wildcard matching (resume after the last star)
 * instead of a `.*` regex, which backtracks exponentially on a run of stars: `?name=****...*z`
 * would otherwise block the event loop, and so the whole sandbox, for good.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') {
    p++;
  }
  return p === pattern.length;
}

function divisionRef(data: Dataset, id: string) {
  const d = data.org.divisions.find((x) => x.id === id) ?? data.org.divisions[0];
  return { id: d.id, name: d.name, selfUri: `/api/v2/authorization/divisions/${d.id}` };
}

function queueEntity(data: Dataset, qi: number) {
  const q = data.org.queues[qi];
  const members = data.org.members.get(q.id)?.length ?? 0;
  return {
    id: q.id,
    name: q.name,
    division: divisionRef(data, q.divisionId),
    description: `${q.name} (${q.media.join(', ')})`,
    dateCreated: CREATED,
    memberCount: members,
    userMemberCount: members,
    joinedMemberCount: members,
    selfUri: `/api/v2/routing/queues/${q.id}`,
  };
}

function userEntity(data: Dataset, ui: number) {
  const u = data.org.users[ui];
  return {
    id: u.id,
    name: u.name,
    division: divisionRef(data, u.divisionId),
    email: u.email,
    username: u.email,
    state: 'active',
    title: 'Contact Center Agent',
    version: 1,
    selfUri: `/api/v2/users/${u.id}`,
  };
}

function idFilter(ctx: RequestContext): (id: string) => boolean {
  const ids = ctx.query.getAll('id').flatMap((v) => v.split(',')).filter((v) => v !== '');
  return ids.length === 0 ? () => true : (id) => ids.includes(id);
}

export function listQueues(ctx: RequestContext, data: Dataset): Reply {
  const byName = nameMatcher(ctx.query.get('name'));
  const byId = idFilter(ctx);
  return page(ctx, data.org.queues.map((_, i) => queueEntity(data, i)).filter((q) => byName(q.name) && byId(q.id)));
}

export function getQueue(ctx: RequestContext, data: Dataset): Reply {
  const i = data.org.queues.findIndex((q) => q.id === ctx.params.queueId);
  if (i < 0) {
    throw Errors.notFound(`Queue ${ctx.params.queueId} was not found.`);
  }
  return { status: 200, body: queueEntity(data, i) };
}

export function listUsers(ctx: RequestContext, data: Dataset): Reply {
  const byId = idFilter(ctx);
  return page(ctx, data.org.users.map((_, i) => userEntity(data, i)).filter((u) => byId(u.id)));
}

export function getUser(ctx: RequestContext, data: Dataset): Reply {
  const i = data.org.users.findIndex((u) => u.id === ctx.params.userId);
  if (i < 0) {
    throw Errors.notFound(`User ${ctx.params.userId} was not found.`);
  }
  return { status: 200, body: userEntity(data, i) };
}

/** Client-credentials tokens have no user, exactly as on a real org. */
export function usersMe(): Reply {
  throw new ApiError(400, 'bad.request', 'This request requires a user context. Client credentials cannot be used for requests to this resource.');
}

export function listWrapUpCodes(ctx: RequestContext, data: Dataset): Reply {
  const byName = nameMatcher(ctx.query.get('name'));
  const all = data.org.wrapUpCodes.map((w) => ({
    id: w.id,
    name: w.name,
    division: divisionRef(data, data.org.divisions[0].id),
    dateCreated: CREATED,
    createdBy: { id: data.org.users[0].id, selfUri: `/api/v2/users/${data.org.users[0].id}` },
    selfUri: `/api/v2/routing/wrapupcodes/${w.id}`,
  }));
  return page(ctx, all.filter((w) => byName(w.name)));
}

export function listDivisions(ctx: RequestContext, data: Dataset): Reply {
  const byName = nameMatcher(ctx.query.get('name'));
  const byId = idFilter(ctx);
  const all = data.org.divisions.map((d) => ({ ...divisionRef(data, d.id), description: '', homeDivision: d.id === data.org.divisions[0].id }));
  return page(ctx, all.filter((d) => byName(d.name) && byId(d.id)));
}

export function tokensMe(ctx: RequestContext, data: Dataset, o: SandboxOptions): Reply {
  const org = { id: data.org.id, name: data.org.name, selfUri: `/api/v2/organizations/${data.org.id}` };
  return {
    status: 200,
    body: {
      organization: org,
      homeOrganization: org,
      authorizedScope: ['analytics:readonly', 'routing:readonly', 'users:readonly'],
      OAuthClient: { id: ctx.clientId ?? o.clientId, name: 'Sandbox client credentials', organization: { id: data.org.id } },
    },
  };
}

export function organizationsMe(data: Dataset): Reply {
  return {
    status: 200,
    body: {
      id: data.org.id,
      name: data.org.name,
      defaultLanguage: 'en-us',
      defaultCountryCode: 'US',
      thirdPartyOrgName: data.org.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      domain: 'sandbox.example',
      version: 1,
      state: 'active',
      voicemailEnabled: true,
      productPlatform: 'PureCloud',
      features: {},
      selfUri: `/api/v2/organizations/${data.org.id}`,
    },
  };
}
