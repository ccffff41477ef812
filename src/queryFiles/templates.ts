import { META_KEY, type QueryFileMeta } from './queryFile';

/**
 * Starting points for "New Query File": each is a complete, valid body (it passes checkQueryFile and the
 * sandbox's validation) with a `gcquery` metadata block and a comment saying what it asks and how to change
 * it. Intervals are relative ("yesterday", "last 7 days", "last month"), resolved when the file runs, so a
 * saved template stays useful. Pure.
 */

export type TemplateId = 'classicVoice' | 'abandonedByQueue' | 'agentHandleTime' | 'monthOfChats';

export interface QueryTemplate {
  id: TemplateId;
  /** Quick pick label. */
  label: string;
  detail: string;
  /** Suggested file name (the command makes it unique in the folder). */
  fileName: string;
}

export interface RenderedTemplate {
  text: string;
  /**
   * Where to put the cursor (offset into `text`), e.g. between the quotes of an ID the user still has
   * to choose, so completion offers names at once.
   */
  cursorOffset?: number;
}

export const QUERY_TEMPLATES: readonly QueryTemplate[] = [
  { id: 'classicVoice', label: "Yesterday's voice calls", detail: 'The classic one-day query: voice conversations of yesterday, oldest first, 100 per page', fileName: 'voice-yesterday.gcquery.json' },
  { id: 'abandonedByQueue', label: 'Abandoned calls by queue', detail: 'Voice calls abandoned while waiting in queue yesterday, with a count per queue', fileName: 'abandoned-by-queue.gcquery.json' },
  { id: 'agentHandleTime', label: 'Handle time for one agent', detail: 'The conversations one agent handled in the last 7 days (pick the agent by name)', fileName: 'agent-handle-time.gcquery.json' },
  { id: 'monthOfChats', label: 'A month of chats (job)', detail: 'Every chat conversation of last month as an async job, for bulk results', fileName: 'chats-last-month.gcquery.json' },
];

/** Marks where the cursor goes in a rendered body; replaced by nothing. */
const CURSOR = '@@cursor@@';

interface TemplateBody {
  comment: string[];
  meta: QueryFileMeta;
  body: Record<string, unknown>;
}

const ZONE_HINT = 'Relative intervals use your time zone; set gcquery.timeZone (e.g. "Europe/Dublin") to fix one.';

function build(id: TemplateId): TemplateBody {
  switch (id) {
    case 'classicVoice':
      return {
        comment: ["Yesterday's voice conversations, oldest first, 100 per page. Change the interval, or add filters (Ctrl+Space).", ZONE_HINT],
        meta: { name: "Yesterday's voice calls", run: 'query' },
        body: {
          interval: 'yesterday',
          order: 'asc',
          orderBy: 'conversationStart',
          paging: { pageSize: 100, pageNumber: 1 },
          segmentFilters: [{ type: 'and', predicates: [{ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'voice' }] }],
        },
      };
    case 'abandonedByQueue':
      return {
        comment: ['Voice calls abandoned in queue yesterday (tAbandon exists); the termFrequency aggregation counts them per queueId.'],
        meta: { name: 'Abandoned calls by queue', run: 'query' },
        body: {
          interval: 'yesterday',
          order: 'asc',
          orderBy: 'conversationStart',
          paging: { pageSize: 100, pageNumber: 1 },
          conversationFilters: [{ type: 'and', predicates: [{ type: 'metric', metric: 'tAbandon', operator: 'exists' }] }],
          segmentFilters: [{ type: 'and', predicates: [{ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'voice' }] }],
          aggregations: [{ type: 'termFrequency', dimension: 'queueId', size: 50 }],
        },
      };
    case 'agentHandleTime':
      return {
        comment: ['The conversations one agent handled in the last 7 days (tHandle exists). Put the agent\'s user ID in "value": Ctrl+Space lists agents by name.'],
        meta: { name: 'Handle time for one agent', run: 'query' },
        body: {
          interval: 'last 7 days',
          order: 'asc',
          orderBy: 'conversationStart',
          conversationFilters: [{ type: 'and', predicates: [{ type: 'metric', metric: 'tHandle', operator: 'exists' }] }],
          segmentFilters: [
            {
              type: 'and',
              predicates: [
                { type: 'dimension', dimension: 'purpose', operator: 'matches', value: 'agent' },
                { type: 'dimension', dimension: 'userId', operator: 'matches', value: CURSOR },
              ],
            },
          ],
        },
      };
    case 'monthOfChats':
      return {
        comment: ['Every chat conversation of last month as an async job: no paging in the body; results come in pages of gcquery.pageSize.', ZONE_HINT],
        meta: { name: 'Chats of last month', run: 'job', pageSize: 1000 },
        body: {
          interval: 'last month',
          order: 'asc',
          orderBy: 'conversationStart',
          startOfDayIntervalMatching: true,
          segmentFilters: [{ type: 'and', predicates: [{ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'chat' }] }],
        },
      };
  }
}

/** The file text of a template: a comment line, then the body with the `gcquery` block first. */
export function renderTemplate(id: TemplateId): RenderedTemplate {
  const t = build(id);
  const json = JSON.stringify({ [META_KEY]: t.meta, ...t.body }, null, 2);
  const full = `${t.comment.map((c) => `// ${c}`).join('\n')}\n${json}\n`;
  const at = full.indexOf(CURSOR);
  return at < 0 ? { text: full } : { text: full.replace(CURSOR, ''), cursorOffset: at };
}

/** A template's metadata and body as written (interval still relative), for tests and previews. */
export function templateBody(id: TemplateId): { meta: QueryFileMeta; body: Record<string, unknown> } {
  const t = build(id);
  return { meta: t.meta, body: JSON.parse(JSON.stringify(t.body).replace(CURSOR, '')) as Record<string, unknown> };
}
