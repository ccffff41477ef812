import * as assert from 'node:assert/strict';
import { parse, type ParseError } from 'jsonc-parser';
import { META_KEY, type QueryFileMeta } from '../../../src/queryFiles/queryFile';
import { QUERY_TEMPLATES, renderTemplate, templateBody } from '../../../src/queryFiles/templates';
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
    it(`${t.id}: a comment line, a gcquery block, and a body the sandbox accepts on its route`, () => {
      const { text, cursorOffset } = renderTemplate(t.id, now);
      assert.match(text.split('\n')[0]!, /^\/\/ \S/);
      const errors: ParseError[] = [];
      const file = parse(text, errors, { allowTrailingComma: false }) as Record<string, unknown>;
      assert.deepEqual(errors, []);
      const meta = file[META_KEY] as QueryFileMeta;
      assert.ok(meta.name && meta.name.length > 0);
      assert.ok(meta.run === 'query' || meta.run === 'job');
      const { [META_KEY]: _meta, ...body } = file;
      assert.deepEqual(body, templateBody(t.id, now).body);
      const parsed = parseQueryBody(body, meta.run, defaultOptions());
      assert.ok(parsed.end > parsed.start);
      if (cursorOffset !== undefined) {
        // The cursor waits between the quotes of the value the user still has to choose.
        assert.equal(text.slice(cursorOffset - 10, cursorOffset + 1), '"value": ""');
      }
    });
  }

  it('computes whole UTC days from now: yesterday, the last 7 days, last month', () => {
    assert.equal(templateBody('classicVoice', now).body.interval, '2026-03-14T00:00:00.000Z/2026-03-15T00:00:00.000Z');
    assert.equal(templateBody('agentHandleTime', now).body.interval, '2026-03-08T00:00:00.000Z/2026-03-15T00:00:00.000Z');
    assert.equal(templateBody('monthOfChats', new Date('2026-01-10T00:00:00Z')).body.interval, '2025-12-01T00:00:00.000Z/2026-01-01T00:00:00.000Z');
  });

  it('the job template has no paging (a job body must not) and the sync ones page within the bounds', () => {
    assert.equal(templateBody('monthOfChats', now).body.paging, undefined);
    assert.equal(templateBody('monthOfChats', now).meta.run, 'job');
    for (const id of ['classicVoice', 'abandonedByQueue'] as const) {
      const paging = templateBody(id, now).body.paging as { pageSize: number; pageNumber: number };
      assert.ok(paging.pageSize >= 1 && paging.pageSize <= 100 && paging.pageNumber === 1);
    }
  });
});
