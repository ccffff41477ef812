import { ConversationGenerator } from './generator/conversation';
import { wireJson } from './generator/serialize';
import type { Conversation } from './generator/model';
import { Timeline } from './generator/timeline';
import { buildOrg, type Org } from './org';
import type { SandboxOptions } from './options';
import { select, selectSteps, type ResultSet, type SelectionContext } from './selection';
import type { ParsedQuery } from './queryBody';

/**
 * The sandbox's data: small tables plus generators. Only a bounded cache of generated conversations
 * and of result sets is kept, so a million-conversation org costs almost nothing until queried.
 */
export class Dataset implements SelectionContext {
  readonly org: Org;
  readonly timeline: Timeline;
  readonly generator: ConversationGenerator;
  private readonly _cache = new Map<number, Conversation>();
  private readonly _results = new Map<string, ResultSet>();
  /** Job-results JSON per conversation (UTF-8), kept only with `keepWireText`. */
  private readonly _wireText = new Map<number, Buffer>();
  private readonly _keepWireText: boolean;

  constructor(o: SandboxOptions, anchorMs: number) {
    this.org = buildOrg(o.seed, o.orgName ?? 'Sandbox Org');
    this.timeline = new Timeline(o.conversations, anchorMs, o.days, o.seed);
    this.generator = new ConversationGenerator(o.seed, this.org, this.timeline, o.xssCorpus);
    this._keepWireText = o.keepWireText;
  }

  /**
   * Conversation `i` as job results carry it (AnalyticsConversation, with attributes), as JSON in UTF-8:
   * bytes, so a page is one copy of its rows rather than a 5 MB string to join and encode per request.
   */
  jobWireText(i: number): Buffer {
    let text = this._wireText.get(i);
    if (text === undefined) {
      text = Buffer.from(wireJson(this.get(i), true));
      if (this._keepWireText) {
        this._wireText.set(i, text);
      }
    }
    return text;
  }

  get(i: number): Conversation {
    let c = this._cache.get(i);
    if (c) {
      return c;
    }
    c = this.generator.generate(i);
    if (this._cache.size >= 1024) {
      // Maps iterate in insertion order: dropping the first key is a cheap FIFO eviction.
      const first = this._cache.keys().next();
      if (!first.done) {
        this._cache.delete(first.value);
      }
    }
    this._cache.set(i, c);
    return c;
  }

  /**
   * Sync result sets are cached per selecting body, so page N does not rescan the interval.
   * Job result sets depend on the job's lake cutoff and are kept by the job instead.
   */
  selectCached(q: ParsedQuery, cutoff: number): ResultSet {
    if (q.route === 'job') {
      return select(q, this, cutoff);
    }
    return this._recall(q.selectionKey) ?? this._remember(q.selectionKey, select(q, this, cutoff));
  }

  /**
   * selectCached for the sync route, yielding to the event loop between chunks: one large filtered scan
   * must not stall every other request (nor the extension host, which runs the sandbox in-process).
   */
  async selectCachedAsync(q: ParsedQuery, cutoff: number): Promise<ResultSet> {
    const cached = this._recall(q.selectionKey);
    if (cached) {
      return cached;
    }
    const steps = selectSteps(q, this, cutoff);
    for (;;) {
      const r = steps.next();
      if (r.done) {
        return this._remember(q.selectionKey, r.value);
      }
      await yieldToEventLoop();
    }
  }

  /** LRU lookup: a hit moves to the most recent end. */
  private _recall(key: string): ResultSet | undefined {
    const r = this._results.get(key);
    if (r) {
      this._results.delete(key);
      this._results.set(key, r);
    }
    return r;
  }

  private _remember(key: string, r: ResultSet): ResultSet {
    this._results.set(key, r);
    if (this._results.size > 16) {
      const first = this._results.keys().next();
      if (!first.done) {
        this._results.delete(first.value);
      }
    }
    return r;
  }
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
