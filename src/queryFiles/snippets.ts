import type { SnippetSite } from './authoringContext';

/**
 * Snippets for filters and predicates in query files (VS Code snippet syntax: `${1:placeholder}`,
 * `${2|a,b|}` choices). Offered by a completion provider for `*.gcquery.json` only, not for every JSONC
 * file. Every value in a choice is a real enum value of the API.
 */
export interface QuerySnippet {
  label: string;
  description: string;
  /** Snippet body (VS Code syntax). */
  body: string;
}

const MEDIA = 'voice,chat,message,email,callback';
const PURPOSE = 'customer,ivr,acd,agent,external,workflow';

const PREDICATES: QuerySnippet[] = [
  { label: 'predicate: dimension matches', description: 'A dimension equal to a value', body: '{ "type": "dimension", "dimension": "${1|mediaType,queueId,userId,wrapUpCode,purpose,direction,disconnectType,segmentType,ani,dnis|}", "operator": "matches", "value": "$2" }' },
  { label: 'predicate: mediaType', description: 'Conversations of one media type', body: `{ "type": "dimension", "dimension": "mediaType", "operator": "matches", "value": "\${1|${MEDIA}|}" }` },
  { label: 'predicate: queue', description: 'Segments in one queue (Ctrl+Space in "value" lists queues by name)', body: '{ "type": "dimension", "dimension": "queueId", "operator": "matches", "value": "$1" }' },
  { label: 'predicate: agent', description: 'Segments of one agent (Ctrl+Space in "value" lists users by name)', body: '{ "type": "dimension", "dimension": "userId", "operator": "matches", "value": "$1" }' },
  { label: 'predicate: purpose', description: 'Participants of one purpose', body: `{ "type": "dimension", "dimension": "purpose", "operator": "matches", "value": "\${1|${PURPOSE}|}" }` },
  { label: 'predicate: metric exists', description: 'Conversations that have a metric (e.g. tAbandon: abandoned)', body: '{ "type": "metric", "metric": "${1|tAbandon,tHandle,tTalk,tHeld,tAcw,tAnswered,tAcd,tIvr,nTransferred|}", "operator": "exists" }' },
  { label: 'predicate: metric range', description: 'A metric within bounds (milliseconds for t* metrics)', body: '{ "type": "metric", "metric": "${1|tHandle,tTalk,tHeld,tAcw,tAnswered,tAcd,tAbandon|}", "range": { "gte": ${2:0}, "lt": ${3:600000} } }' },
  { label: 'predicate: dimension exists', description: 'A dimension that is present', body: '{ "type": "dimension", "dimension": "${1|wrapUpCode,queueId,userId,disconnectType|}", "operator": "exists" }' },
];

const SEGMENT_FILTERS: QuerySnippet[] = [
  { label: 'segment filter: and', description: 'Segments matching every predicate', body: '{ "type": "and", "predicates": [\n\t{ "type": "dimension", "dimension": "${1|mediaType,queueId,userId,purpose,direction,wrapUpCode|}", "operator": "matches", "value": "$2" }$0\n] }' },
  { label: 'segment filter: or', description: 'Segments matching any predicate', body: '{ "type": "or", "predicates": [\n\t{ "type": "dimension", "dimension": "${1|mediaType,queueId,userId,purpose|}", "value": "$2" },\n\t{ "type": "dimension", "dimension": "${1}", "value": "$3" }\n] }' },
];

const CONVERSATION_FILTERS: QuerySnippet[] = [
  { label: 'conversation filter: metric exists', description: 'Conversations that have a metric', body: '{ "type": "and", "predicates": [\n\t{ "type": "metric", "metric": "${1|tAbandon,tHandle,tTalk,tHeld,nTransferred|}", "operator": "exists" }$0\n] }' },
  { label: 'conversation filter: dimension', description: 'Conversations by a conversation-level dimension', body: '{ "type": "and", "predicates": [\n\t{ "type": "dimension", "dimension": "${1|originatingDirection,divisionId,conversationId,externalTag|}", "value": "$2" }$0\n] }' },
];

const TOP_LEVEL: QuerySnippet[] = [
  { label: 'segmentFilters', description: 'Filter on segments (media type, queue, agent, purpose…)', body: `"segmentFilters": [\n\t{ "type": "and", "predicates": [\n\t\t{ "type": "dimension", "dimension": "mediaType", "operator": "matches", "value": "\${1|${MEDIA}|}" }$0\n\t] }\n]` },
  { label: 'conversationFilters', description: 'Filter on conversation-level metrics and dimensions', body: '"conversationFilters": [\n\t{ "type": "and", "predicates": [\n\t\t{ "type": "metric", "metric": "${1|tAbandon,tHandle,tTalk|}", "operator": "exists" }$0\n\t] }\n]' },
  { label: 'gcquery', description: 'Query file metadata (never sent): name, query or job, page size, time zone', body: '"gcquery": { "name": "$1", "run": "${2|query,job|}" }' },
];

export function snippetsFor(site: SnippetSite): readonly QuerySnippet[] {
  switch (site) {
    case 'topLevelKey':
      return TOP_LEVEL;
    case 'segmentFilter':
      return SEGMENT_FILTERS;
    case 'conversationFilter':
      return CONVERSATION_FILTERS;
    case 'predicate':
      return PREDICATES;
  }
}
