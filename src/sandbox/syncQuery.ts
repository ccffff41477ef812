import { conversationSubject, segmentSubject } from './filters';
import { yieldToEventLoop, type Dataset } from './dataset';
import type { Conversation } from './generator/model';
import { toWire } from './generator/serialize';
import type { Reply } from './http';
import type { SandboxOptions } from './options';
import type { Aggregation, ParsedQuery } from './queryBody';
import { parseQueryBody } from './queryBody';
import { SELECT_CHUNK, type ResultSet } from './selection';

/**
 * POST /api/v2/analytics/conversations/details/query.
 * Empty pages (past the end, or no hits) answer `{totalHits}` without `conversations`: clients must
 * stop on a missing array, as Genesys' own exporter does (genesys-api.md §1.2, §8.3).
 */
export async function runSyncQuery(body: unknown, o: SandboxOptions, data: Dataset): Promise<Reply> {
  const q = parseQueryBody(body, 'query', o);
  const rs = await data.selectCachedAsync(q, Number.POSITIVE_INFINITY);
  const from = (q.pageNumber - 1) * q.pageSize;
  const ids = rs.slice(from, from + q.pageSize);
  const out: Record<string, unknown> = {};
  if (ids.length > 0) {
    out.conversations = ids.map((i) => toWire(data.get(i), false));
  }
  out.totalHits = rs.size;
  if (q.aggregations.length > 0) {
    const aggregations: Record<string, unknown>[] = [];
    for (const a of q.aggregations) {
      aggregations.push(await aggregate(a, rs, data));
    }
    out.aggregations = aggregations;
  }
  return { status: 200, body: out };
}

/** Aggregations are facets over the whole matching set; they never filter (genesys-api.md §1.1). */
async function aggregate(a: Aggregation, rs: ResultSet, data: Dataset): Promise<Record<string, unknown>> {
  if (a.type === 'termFrequency') {
    const dim = a.dimension ?? '';
    const counts = new Map<string, number>();
    for (let k = 0; k < rs.size; k++) {
      if (k % SELECT_CHUNK === SELECT_CHUNK - 1) {
        await yieldToEventLoop();
      }
      for (const v of valuesOf(data.get(rs.at(k)), dim)) {
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
    }
    const results = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, a.size).map(([value, count]) => ({ value, count }));
    return { type: a.type, dimension: dim, count: rs.size, results };
  }
  const metric = a.metric ?? '';
  const results = a.ranges.map((r) => ({ ...(r.gte !== undefined ? { gte: r.gte } : {}), ...(r.lt !== undefined ? { lt: r.lt } : {}), count: 0 }));
  for (let k = 0; k < rs.size; k++) {
    if (k % SELECT_CHUNK === SELECT_CHUNK - 1) {
      await yieldToEventLoop();
    }
    const v = conversationSubject(data.get(rs.at(k))).metric(metric);
    if (v === undefined) {
      continue;
    }
    a.ranges.forEach((r, j) => {
      if ((r.gte === undefined || v >= r.gte) && (r.lt === undefined || v < r.lt)) {
        results[j].count++;
      }
    });
  }
  return { type: a.type, metric, count: rs.size, results };
}

/** Distinct values of a dimension in one conversation (conversation-level first, else over segments). */
function valuesOf(c: Conversation, dim: string): Set<string> {
  const out = new Set<string>(conversationSubject(c).dimension(dim) ?? []);
  if (out.size > 0) {
    return out;
  }
  for (const p of c.participants) {
    for (const s of p.sessions) {
      for (const g of s.segments) {
        for (const v of segmentSubject(p, s, g).dimension(dim) ?? []) {
          out.add(v);
        }
      }
    }
  }
  return out;
}

/** Ids a sync query would return over all its pages, in order (for groundTruth). */
export function syncGroundTruth(q: ParsedQuery, data: Dataset): string[] {
  const rs = data.selectCached(q, Number.POSITIVE_INFINITY);
  return rs.slice(0, rs.size).map((i) => data.generator.idOf(i));
}
