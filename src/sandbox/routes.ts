import type { Dataset } from './dataset';
import { Errors } from './errors';
import { toWire } from './generator/serialize';
import type { RequestContext } from './http';
import type { JobStore } from './jobs';
import { getQueue, getUser, listDivisions, listQueues, listUsers, listWrapUpCodes, organizationsMe, tokensMe, usersMe } from './lists';
import type { SandboxOptions } from './options';
import { Router } from './router';
import { runSyncQuery } from './syncQuery';
import type { TokenStore } from './auth';

export interface RouteDeps {
  options: () => SandboxOptions;
  data: () => Dataset;
  jobs: JobStore;
  tokens: TokenStore;
}

const DETAILS = '/api/v2/analytics/conversations/details';
/** The job submission route (the server counts created jobs and applies the drop-response fault on it). */
export const JOBS_TEMPLATE = `${DETAILS}/jobs`;
/** genesys-api.md §0: any one of these for query, jobs, status, results, delete and get-by-id; availability needs the first. */
const VIEW = ['analytics:conversationDetail:view', 'analytics:agentConversationDetail:view'] as const;
const VIEW_ALL = ['analytics:conversationDetail:view'] as const;

/** Every /api/v2 route the sandbox serves. */
export function apiRouter(d: RouteDeps): Router {
  const r = new Router();
  r.add({ method: 'POST', template: `${DETAILS}/query`, jsonBody: true, permissions: VIEW, handler: (c) => runSyncQuery(c.body, d.options(), d.data()) });
  r.add({ method: 'POST', template: JOBS_TEMPLATE, jsonBody: true, permissions: VIEW, handler: (c) => d.jobs.submit(c.body, c.now) });
  r.add({ method: 'GET', template: `${DETAILS}/jobs/availability`, permissions: VIEW_ALL, handler: (c) => d.jobs.availability(c.now) });
  r.add({ method: 'GET', template: `${DETAILS}/jobs/{jobId}`, permissions: VIEW, handler: (c) => d.jobs.status(c.params.jobId, c.now) });
  r.add({ method: 'DELETE', template: `${DETAILS}/jobs/{jobId}`, permissions: VIEW, handler: (c) => d.jobs.cancel(c.params.jobId) });
  r.add({ method: 'GET', template: `${DETAILS}/jobs/{jobId}/results`, permissions: VIEW, handler: (c) => d.jobs.results(c.params.jobId, c.query, c.now) });
  r.add({ method: 'GET', template: '/api/v2/analytics/conversations/{conversationId}/details', permissions: VIEW, handler: (c) => conversationById(c, d.data()) });
  r.add({ method: 'GET', template: DETAILS, permissions: VIEW, handler: (c) => conversationsByIds(c, d.data()) });
  r.add({ method: 'GET', template: '/api/v2/routing/queues', handler: (c) => listQueues(c, d.data()) });
  r.add({ method: 'GET', template: '/api/v2/routing/queues/{queueId}', handler: (c) => getQueue(c, d.data()) });
  r.add({ method: 'GET', template: '/api/v2/routing/wrapupcodes', handler: (c) => listWrapUpCodes(c, d.data()) });
  r.add({ method: 'GET', template: '/api/v2/users', handler: (c) => listUsers(c, d.data()) });
  r.add({ method: 'GET', template: '/api/v2/authorization/divisions', handler: (c) => listDivisions(c, d.data()) });
  r.add({ method: 'GET', template: '/api/v2/users/me', handler: () => usersMe() });
  r.add({ method: 'GET', template: '/api/v2/users/{userId}', handler: (c) => getUser(c, d.data()) });
  r.add({ method: 'GET', template: '/api/v2/tokens/me', handler: (c) => tokensMe(c, d.data(), d.options()) });
  r.add({
    method: 'DELETE',
    template: '/api/v2/tokens/me',
    handler: (c) => {
      if (c.token) {
        d.tokens.revoke(c.token);
      }
      return { status: 204 };
    },
  });
  r.add({ method: 'GET', template: '/api/v2/organizations/me', handler: () => organizationsMe(d.data()) });
  return r;
}

function conversationById(c: RequestContext, data: Dataset) {
  const i = data.generator.indexOfId(c.params.conversationId);
  if (i === undefined) {
    throw Errors.notFound(`Conversation ${c.params.conversationId} was not found.`);
  }
  return { status: 200, body: toWire(data.get(i), false) };
}

function conversationsByIds(c: RequestContext, data: Dataset) {
  const ids = c.query.getAll('id').flatMap((v) => v.split(',')).filter((v) => v !== '');
  if (ids.length === 0) {
    throw Errors.badRequest('At least one conversation id is required (id=a,b).', 'id');
  }
  if (ids.length > 100) {
    throw Errors.badRequest('At most 100 conversation ids may be requested at once.', 'id');
  }
  const conversations = ids.flatMap((id) => {
    const i = data.generator.indexOfId(id);
    return i === undefined ? [] : [toWire(data.get(i), false)];
  });
  return { status: 200, body: { conversations } };
}
