import { ConversationGenerator } from './generator/conversation';
import type { Conversation } from './generator/model';
import { Timeline } from './generator/timeline';
import { buildOrg, type Org } from './org';
import type { SandboxOptions } from './options';
import { select, type ResultSet, type SelectionContext } from './selection';
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

  constructor(o: SandboxOptions, anchorMs: number) {
    this.org = buildOrg(o.seed, o.orgName ?? 'Sandbox Org');
    this.timeline = new Timeline(o.conversations, anchorMs, o.days, o.seed);
    this.generator = new ConversationGenerator(o.seed, this.org, this.timeline);
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
    let r = this._results.get(q.selectionKey);
    if (r) {
      this._results.delete(q.selectionKey);
    } else {
      r = select(q, this, cutoff);
    }
    this._results.set(q.selectionKey, r);
    if (this._results.size > 16) {
      const first = this._results.keys().next();
      if (!first.done) {
        this._results.delete(first.value);
      }
    }
    return r;
  }
}
