import * as assert from 'node:assert/strict';
import { checkQueryFile } from '../../../src/queryFiles/checkQueryFile';
import type { CheckOptions, CheckResult, QueryProblem } from '../../../src/queryFiles/queryFile';
import { applyEdits } from '../../../src/queryFiles/queryFixes';

const NOW = new Date('2026-03-30T10:00:00Z');
const OPTS: CheckOptions = { now: NOW, timeZone: 'Europe/London' };
const DAY = '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z';

function check(text: string, opts: Partial<CheckOptions> = {}): CheckResult {
  return checkQueryFile(text, { ...OPTS, ...opts });
}

function only(result: CheckResult, code: string): QueryProblem {
  const found = result.problems.filter((p) => p.code === code);
  assert.equal(found.length, 1, `one '${code}' in ${JSON.stringify(result.problems.map((p) => `${p.code}: ${p.message}`))}`);
  return found[0]!;
}

const at = (text: string, p: QueryProblem): string => text.slice(p.offset, p.offset + p.length);

/** Applies the fix titled `title` of the `code` problem; the problem must be gone afterwards. */
function fix(text: string, code: string, title: RegExp, opts: Partial<CheckOptions> = {}): string {
  const problem = only(check(text, opts), code);
  const chosen = problem.fixes.find((f) => title.test(f.title));
  assert.ok(chosen, `no fix ${String(title)} among ${problem.fixes.map((f) => f.title).join(' | ')}`);
  const fixed = applyEdits(text, chosen.edits);
  assert.deepEqual(check(fixed, opts).problems.filter((p) => p.code === code), [], `'${code}' still there after "${chosen.title}":\n${fixed}`);
  return fixed;
}

describe('checkQueryFile', () => {
  it('gives the body to send: metadata and $schema stripped, comments allowed, relative interval resolved', () => {
    const text = `{
      // yesterday's voice calls
      "$schema": "./gcquery.schema.json",
      "gcquery": { "name": "Voice", "run": "query", "timeZone": "America/New_York" },
      "interval": "yesterday",
      "segmentFilters": [{ "type": "and", "predicates": [{ "dimension": "mediaType", "value": "voice" }] }],
    }`;
    const r = check(text);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.parsed, {
      meta: { name: 'Voice', run: 'query', timeZone: 'America/New_York' },
      route: 'query',
      body: { interval: '2026-03-29T04:00:00.000Z/2026-03-30T04:00:00.000Z', segmentFilters: [{ type: 'and', predicates: [{ dimension: 'mediaType', value: 'voice' }] }] },
      intervalAsWritten: 'yesterday',
    });
  });

  it('uses the zone of the options when the file names none, and keeps an absolute interval as written', () => {
    assert.equal(check('{"interval":"yesterday"}', { timeZone: 'UTC' }).parsed?.body.interval, '2026-03-29T00:00:00.000Z/2026-03-30T00:00:00.000Z');
    const absolute = check(`{"interval":"${DAY}"}`);
    assert.equal(absolute.parsed?.body.interval, DAY);
    assert.equal(absolute.parsed?.intervalAsWritten, undefined);
  });

  it('checks against the route of the options over the file\'s', () => {
    const text = `{"gcquery":{"run":"query"},"interval":"${DAY}","paging":{"pageSize":10,"pageNumber":1}}`;
    assert.ok(check(text).parsed);
    const asJob = check(text, { route: 'job' });
    assert.equal(asJob.parsed, undefined);
    only(asJob, 'paging-in-job');
    assert.equal(check(`{"gcquery":{"run":"job"},"interval":"${DAY}","limit":10}`, { route: 'job' }).parsed?.route, 'job');
  });

  describe('problems on the right range, with quick fixes that clear them', () => {
    it('misspelt dimension → the nearest valid one', () => {
      const text = `{"interval":"${DAY}","segmentFilters":[{"type":"and","predicates":[{"dimension":"queueID","value":"q1"}]}]}`;
      const p = only(check(text), 'unknown-value');
      assert.equal(at(text, p), '"queueID"');
      assert.match(p.message, /'queueID' is not a valid segment dimension.*Did you mean 'queueId'\?/);
      assert.equal(p.fixes[0]?.isPreferred, true);
      assert.ok(check(fix(text, 'unknown-value', /queueId/)).parsed);
    });

    it('misspelt metric and operator', () => {
      const metric = `{"interval":"${DAY}","conversationFilters":[{"type":"and","predicates":[{"metric":"tHandel","range":{"gt":0}}]}]}`;
      assert.ok(check(fix(metric, 'unknown-value', /tHandle/)).parsed);
      const operator = `{"interval":"${DAY}","segmentFilters":[{"type":"and","predicates":[{"dimension":"wrapUpCode","operator":"exist"}]}]}`;
      assert.ok(check(fix(operator, 'unknown-value', /'exists'/)).parsed);
    });

    it('pageSize 0 or 101 → the bound', () => {
      for (const [size, bound] of [[0, 1], [101, 100]] as const) {
        const text = `{"interval":"${DAY}","paging":{"pageSize":${size},"pageNumber":1}}`;
        const p = only(check(text), 'out-of-range');
        assert.equal(at(text, p), String(size));
        assert.match(p.message, /paging\.pageSize must be a whole number from 1 to 100/);
        assert.match(fix(text, 'out-of-range', new RegExp(`Change to ${bound}`)), new RegExp(`"pageSize":${bound}`));
      }
      const job = '{"gcquery":{"run":"job","pageSize":5000},"interval":"yesterday"}';
      assert.match(fix(job, 'out-of-range', /1000/), /"pageSize":1000/);
    });

    it('unknown top-level key → the nearest valid key', () => {
      const text = `{"interval":"${DAY}","segmentFilter":[{"type":"and","predicates":[{"dimension":"queueId","value":"q"}]}]}`;
      const p = only(check(text), 'unknown-key');
      assert.equal(at(text, p), '"segmentFilter"');
      assert.match(p.message, /Did you mean 'segmentFilters'\?/);
      assert.ok(check(fix(text, 'unknown-key', /segmentFilters/)).parsed);
      assert.ok(check(fix(text, 'unknown-key', /Remove/)).parsed);
    });

    it('paging in a job body → remove it, or run as a sync query', () => {
      const text = `{\n  "gcquery": { "run": "job" },\n  "interval": "${DAY}",\n  "paging": { "pageSize": 100, "pageNumber": 1 }\n}`;
      const p = only(check(text), 'paging-in-job');
      assert.equal(p.severity, 'error');
      assert.equal(at(text, p), '"paging": { "pageSize": 100, "pageNumber": 1 }');
      assert.match(p.message, /must not contain 'paging'/);
      const removed = fix(text, 'paging-in-job', /Remove 'paging'/);
      assert.deepEqual(check(removed).parsed?.body, { interval: DAY });
      assert.equal(check(fix(text, 'paging-in-job', /sync query/)).parsed?.route, 'query');
    });

    it('job-only keys in a sync query → remove, or run as a job', () => {
      const text = `{"interval":"${DAY}","startOfDayIntervalMatching":true}`;
      only(check(text), 'job-only-key');
      assert.ok(check(fix(text, 'job-only-key', /Remove/)).parsed);
      assert.equal(check(fix(text, 'job-only-key', /async job/)).parsed?.route, 'job');
    });

    it('reversed interval → swap', () => {
      const text = '{"interval":"2026-01-02T00:00:00Z/2026-01-01T00:00:00Z"}';
      const p = only(check(text), 'interval-reversed');
      assert.equal(at(text, p), '"2026-01-02T00:00:00Z/2026-01-01T00:00:00Z"');
      assert.equal(check(fix(text, 'interval-reversed', /Swap/)).parsed?.body.interval, '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z');
    });

    it('a sync interval over 31 days is an error whose fix runs it as a job; a job may be longer', () => {
      const text = '{"interval":"2026-01-01T00:00:00Z/2026-03-01T00:00:00Z"}';
      assert.match(only(check(text), 'interval-too-long').message, /at most 31 days/);
      const asJob = fix(text, 'interval-too-long', /async job/);
      assert.equal(check(asJob).parsed?.route, 'job');
    });

    it('an unfiltered sync query over more than 7 days gets a hint (not an error) to run it as a job', () => {
      const text = '{"interval":"last 10 days"}';
      const r = check(text);
      const hint = only(r, 'large-sync');
      assert.equal(hint.severity, 'hint');
      assert.match(hint.message, /100,000-row ceiling/);
      assert.ok(r.parsed, 'a hint does not stop the run');
      fix(text, 'large-sync', /async job/);
      assert.deepEqual(check('{"interval":"last 10 days","segmentFilters":[{"type":"and","predicates":[{"dimension":"queueId","value":"q"}]}]}').problems, []);
      assert.deepEqual(check('{"interval":"last 7 days"}').problems, []);
    });

    it('paging past row 100,000 → run as a job', () => {
      const text = `{"interval":"${DAY}","paging":{"pageSize":100,"pageNumber":1001}}`;
      only(check(text), 'paging-ceiling');
      assert.ok(check(`{"interval":"${DAY}","paging":{"pageSize":100,"pageNumber":1000}}`).parsed);
    });

    it('a value an enumerated dimension never takes → a warning with the nearest value', () => {
      const text = '{"interval":"yesterday","segmentFilters":[{"type":"and","predicates":[{"dimension":"mediaType","value":"Voice"}]}]}';
      const p = only(check(text), 'unknown-dimension-value');
      assert.equal(p.severity, 'warning');
      assert.ok(check(text).parsed, 'a warning does not stop the run');
      assert.match(fix(text, 'unknown-dimension-value', /'voice'/), /"value":"voice"/);
    });

    it('no interval → add one; an unknown zone in the file → the nearest zone', () => {
      assert.ok(check(fix('{"order":"asc"}', 'missing-field', /interval/)).parsed);
      const zone = '{"gcquery":{"timeZone":"Europe/Londn"},"interval":"yesterday"}';
      const p = only(check(zone), 'unknown-time-zone');
      assert.equal(at(zone, p), '"Europe/Londn"');
      assert.match(fix(zone, 'unknown-time-zone', /Europe\/London/), /"Europe\/London"/);
    });
  });
});
