/**
 * Our own DTOs for the conversation-detail endpoints. They mirror the wire shapes (genesys-api.md §1–§2,
 * §6) but belong to us, so the rest of the product never imports SDK types and an SDK upgrade stays
 * inside src/genesys/.
 */

/** Job (and our own run) states; the first six are Genesys' AsyncQueryStatus.state values. */
export type JobState = 'QUEUED' | 'PENDING' | 'FULFILLED' | 'FAILED' | 'CANCELLED' | 'EXPIRED';

export const JOB_STATES: readonly JobState[] = ['QUEUED', 'PENDING', 'FULFILLED', 'FAILED', 'CANCELLED', 'EXPIRED'];

/** A filter predicate, kept loose on purpose: the server (or the sandbox) is the judge of its content. */
export interface QueryPredicate {
  type?: string;
  dimension?: string;
  metric?: string;
  property?: string;
  propertyType?: string;
  operator?: string;
  value?: string;
  range?: { gt?: number; gte?: number; lt?: number; lte?: number };
}

export interface QueryClause {
  type: 'and' | 'or';
  predicates: QueryPredicate[];
}

export interface QueryFilter {
  type: 'and' | 'or';
  clauses?: QueryClause[];
  predicates?: QueryPredicate[];
}

export interface PagingSpec {
  pageSize: number;
  pageNumber: number;
}

/** Body of the synchronous detail query (`ConversationQuery`). */
export interface ConversationQueryBody {
  interval: string;
  order?: 'asc' | 'desc' | 'unordered';
  orderBy?: 'conversationStart' | 'conversationEnd' | 'segmentStart' | 'segmentEnd';
  paging?: PagingSpec;
  conversationFilters?: QueryFilter[];
  segmentFilters?: QueryFilter[];
  evaluationFilters?: QueryFilter[];
  surveyFilters?: QueryFilter[];
  resolutionFilters?: QueryFilter[];
  aggregations?: Array<Record<string, unknown>>;
}

/** Body of an async details job (`AsyncConversationQuery`): no paging, no aggregations. */
export interface AsyncJobBody {
  interval: string;
  order?: 'asc' | 'desc' | 'unordered';
  orderBy?: 'conversationStart' | 'conversationEnd' | 'segmentStart' | 'segmentEnd';
  limit?: number;
  startOfDayIntervalMatching?: boolean;
  conversationFilters?: QueryFilter[];
  segmentFilters?: QueryFilter[];
  evaluationFilters?: QueryFilter[];
  surveyFilters?: QueryFilter[];
  resolutionFilters?: QueryFilter[];
}

export interface MetricRecord {
  name?: string;
  value?: number;
  emitDate?: string;
}

export interface SegmentRecord {
  segmentStart?: string;
  segmentEnd?: string;
  segmentType?: string;
  disconnectType?: string;
  queueId?: string;
  wrapUpCode?: string;
  [key: string]: unknown;
}

export interface SessionRecord {
  sessionId?: string;
  mediaType?: string;
  direction?: string;
  ani?: string;
  dnis?: string;
  metrics?: MetricRecord[];
  segments?: SegmentRecord[];
  [key: string]: unknown;
}

export interface ParticipantRecord {
  participantId?: string;
  participantName?: string;
  purpose?: string;
  userId?: string;
  sessions?: SessionRecord[];
  attributes?: Record<string, string>;
  [key: string]: unknown;
}

/** One analytics conversation record, as stored in the results cache (one NDJSON line). */
export interface ConversationRecord {
  conversationId: string;
  conversationStart?: string;
  conversationEnd?: string;
  originatingDirection?: string;
  divisionIds?: string[];
  participants?: ParticipantRecord[];
  [key: string]: unknown;
}

/** One page of the synchronous query. `conversations` is absent on an empty page. */
export interface SyncQueryPage {
  conversations?: ConversationRecord[];
  totalHits?: number;
  aggregations?: Array<Record<string, unknown>>;
}

/** Status of an async job. */
export interface JobStatus {
  state: JobState;
  errorMessage?: string;
  submissionDate?: string;
  completionDate?: string;
  expirationDate?: string;
}

/** One conversation of a job results page: its id and its JSON text (UTF-8, one line), stored as it came. */
export interface WireRow {
  conversationId: string;
  json: Uint8Array;
}

/** One cursor page of job results; `cursor` absent or empty on the last page. */
export interface JobResultsPage {
  rows?: WireRow[];
  cursor?: string;
  dataAvailabilityDate?: string;
  /**
   * The rows' `json` are views of the client's pooled page buffer: call this once they are stored, and
   * the next page reuses it (their bytes are then overwritten). Never called, the buffer is garbage
   * collected as any other.
   */
  release?: () => void;
}

export interface OrgInfo {
  orgId: string;
  orgName: string;
  clientName?: string;
}

export interface Availability {
  dataAvailabilityDate?: string;
}

/** An organisation object by id and name (queue, user, wrap-up code, division). */
export interface NamedEntity {
  id: string;
  name: string;
}

/** One page of a Genesys list endpoint (`pageSize`/`pageNumber` paging). */
export interface EntityPage {
  entities: NamedEntity[];
  pageNumber: number;
  pageSize: number;
  total?: number;
  pageCount?: number;
}

/** Paging of a list call: 1-based page number; page size 1..500 (Genesys' list limit). */
export interface ListPaging {
  pageSize?: number;
  pageNumber?: number;
}
