import * as assert from 'node:assert/strict';
import { parse, type ParseError } from 'jsonc-parser';
import { META_KEY, type QueryFileMeta } from '../../../src/queryFiles/queryFile';
import { checkQueryFile } from '../../../src/queryFiles/checkQueryFile';
import { QUERY_TEMPLATES, renderTemplate, templateBody, type TemplateId } from '../../../src/queryFiles/templates';
import { defaultOptions } from '../../../src/sandbox/options';
import { parseQueryBody } from '../../../src/sandbox/queryBody';

describe('query files: New Query File templates', () => {
  const now = new Date('2026-03-15T10:30:00Z');

  it('offers the four templates with distinct *.gcquery.json file names', () => {
    assert.deepEqual(QUERY_TEMPLATES.map((t) => t.id), ['classicVoice', 'abandonedByQueue', 'agentHandleTime', 'monthOfChats']);
    assert.equal(new Set(QUERY_TEMPLATES.map((t) => t.fileName)).size, 4);
    for (const t of QUERY_TEMPLATES) {
      assert.match(t.fileName, /^[a-z0-9-]+\.gcquery\.json$/);
    }
  });

  for (const t of QUERY_TEMPLATES) {
    it(`${t.id}: a comment line, a gcquery block, no problem for checkQueryFile, a body the sandbox accepts on its route`, () => {
      const { text, cursorOffset } = renderTemplate(t.id);
      assert.match(text.split('\n')[0]!, /^\/\/ \S/);
      const errors: ParseError[] = [];
      const file = parse(text, errors, { allowTrailingComma: false }) as Record<string, unknown>;
      assert.deepEqual(errors, []);
      const meta = file[META_KEY] as QueryFileMeta;
      assert.ok(meta.name && meta.name.length > 0);
      assert.ok(meta.run === 'query' || meta.run === 'job');
      const { [META_KEY]: _meta, ...body } = file;
      assert.deepEqual(body, templateBody(t.id).body);
      const checked = checkQueryFile(text, { now, timeZone: 'UTC' });
      assert.deepEqual(checked.problems, []);
      assert.ok(checked.parsed);
      assert.equal(checked.parsed.route, meta.run);
      const parsed = parseQueryBody(checked.parsed.body, checked.parsed.route, defaultOptions());
      assert.ok(parsed.end > parsed.start);
      if (cursorOffset !== undefined) {
        // The cursor waits between the quotes of the value the user still has to choose.
        assert.equal(text.slice(cursorOffset - 10, cursorOffset + 1), '"value": ""');
      }
    });
  }

  it('resolves to whole days when run: yesterday, the last 7 days, last month (here in UTC)', () => {
    const resolved = (id: TemplateId, at: Date): unknown => checkQueryFile(renderTemplate(id).text, { now: at, timeZone: 'UTC' }).parsed?.body.interval;
    assert.equal(resolved('classicVoice', now), '2026-03-14T00:00:00.000Z/2026-03-15T00:00:00.000Z');
    assert.equal(resolved('agentHandleTime', now), '2026-03-08T00:00:00.000Z/2026-03-15T00:00:00.000Z');
    assert.equal(resolved('monthOfChats', new Date('2026-01-10T00:00:00Z')), '2025-12-01T00:00:00.000Z/2026-01-01T00:00:00.000Z');
  });

  it('the job template has no paging (a job body must not) and the sync ones page within the bounds', () => {
    assert.equal(templateBody('monthOfChats').body.paging, undefined);
    assert.equal(templateBody('monthOfChats').meta.run, 'job');
    for (const id of ['classicVoice', 'abandonedByQueue'] as const) {
      const paging = templateBody(id).body.paging as { pageSize: number; pageNumber: number };
      assert.ok(paging.pageSize >= 1 && paging.pageSize <= 100 && paging.pageNumber === 1);
    }
  });
});
