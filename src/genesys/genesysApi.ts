import type { AsyncJobBody, Availability, ConversationQueryBody, EntityPage, JobResultsPage, JobStatus, ListPaging, OrgInfo, SyncQueryPage } from './types';

/**
 * The operations the runners need, as implemented by GenesysClient. Runners depend on this interface
 * rather than the class, so a fake can stand in where a test wants no HTTP at all. Every method rejects
 * with GenesysError only.
 */
export interface GenesysApi {
  /** Signs in (if needed) and returns who we are: org name/id and the OAuth client name when known. */
  checkConnection(signal?: AbortSignal): Promise<OrgInfo>;
  /** POST …/details/query: one page of the synchronous query. */
  querySync(body: ConversationQueryBody, signal?: AbortSignal): Promise<SyncQueryPage>;
  /** POST …/details/jobs: returns the new job id. */
  submitJob(body: AsyncJobBody, signal?: AbortSignal): Promise<string>;
  /** GET …/details/jobs/{id}. */
  getJobStatus(jobId: string, signal?: AbortSignal): Promise<JobStatus>;
  /** GET …/details/jobs/{id}/results; omit cursor for the first page. */
  getJobResults(jobId: string, page: { cursor?: string; pageSize?: number }, signal?: AbortSignal): Promise<JobResultsPage>;
  /** DELETE …/details/jobs/{id} (cancels a running job, discards results). */
  deleteJob(jobId: string, signal?: AbortSignal): Promise<void>;
  /** GET …/details/jobs/availability. */
  getAvailability(signal?: AbortSignal): Promise<Availability>;
  /** GET /api/v2/routing/queues: one page of queues (id, name). */
  listQueues(paging?: ListPaging, signal?: AbortSignal): Promise<EntityPage>;
  /** GET /api/v2/users: one page of users (id, name). */
  listUsers(paging?: ListPaging, signal?: AbortSignal): Promise<EntityPage>;
  /** GET /api/v2/routing/wrapupcodes: one page of wrap-up codes (id, name). */
  listWrapUpCodes(paging?: ListPaging, signal?: AbortSignal): Promise<EntityPage>;
  /** GET /api/v2/authorization/divisions: one page of divisions (id, name). */
  listDivisions(paging?: ListPaging, signal?: AbortSignal): Promise<EntityPage>;
}
