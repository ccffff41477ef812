import * as assert from 'node:assert/strict';
import { bodyStartOffset, idValueAt, snippetSiteAt } from '../../../src/queryFiles/authoringContext';
import { snippetsFor } from '../../../src/queryFiles/snippets';

/** Text with `|` marking the cursor: returns the text without it and the offset. */
function at(marked: string): [string, number] {
  const offset = marked.indexOf('|');
  return [marked.slice(0, offset) + marked.slice(offset + 1), offset];
}

describe('query files: authoring context (ID values, snippet sites)', () => {
  it('finds the ID value of a queueId / userId / wrapUpCode / divisionId predicate, with its range', () => {
    for (const [dimension, kind] of [['queueId', 'queue'], ['userId', 'user'], ['wrapUpCode', 'wrapupcode'], ['divisionId', 'division']] as const) {
      const [text, offset] = at(`// c\n{ "segmentFilters": [ { "type": "and", "predicates": [ { "dimension": "${dimension}", "value": "ab|c" } ] } ] }`);
      const ctx = idValueAt(text, offset);
      assert.equal(ctx?.kind, kind, dimension);
      assert.equal(text.slice(ctx.offset, ctx.offset + ctx.length), '"abc"');
      assert.equal(ctx.value, 'abc');
    }
  });

  it('works when "value" comes before "dimension", in an empty string, and right after the colon', () => {
    const [a, ao] = at('{ "conversationFilters": [ { "type": "and", "predicates": [ { "value": "|", "dimension": "divisionId" } ] } ] }');
    assert.equal(idValueAt(a, ao)?.kind, 'division');
    const [b, bo] = at('{ "segmentFilters": [ { "type": "and", "predicates": [ { "dimension": "userId", "value": | } ] } ] }');
    const ctx = idValueAt(b, bo);
    assert.equal(ctx?.kind, 'user');
    assert.equal(ctx.length, 0);
    assert.equal(ctx.offset, bo);
  });

  it('ignores other dimensions, property keys and values outside predicates', () => {
    const cases = [
      '{ "segmentFilters": [ { "predicates": [ { "dimension": "mediaType", "value": "vo|ice" } ] } ] }',
      '{ "segmentFilters": [ { "predicates": [ { "dimension": "queueId", "va|lue": "x" } ] } ] }',
      '{ "interval": "20|26" }',
      '{ "gcquery": { "name": "q|" } }',
    ];
    for (const c of cases) {
      const [text, offset] = at(c);
      assert.equal(idValueAt(text, offset), undefined, c);
    }
  });

  it('knows where snippets fit: top-level keys, filter arrays, predicate arrays', () => {
    const [top, topAt] = at('{\n  "interval": "x",\n  |\n}');
    assert.equal(snippetSiteAt(top, topAt), 'topLevelKey');
    const [seg, segAt] = at('{ "segmentFilters": [ | ] }');
    assert.equal(snippetSiteAt(seg, segAt), 'segmentFilter');
    const [conv, convAt] = at('{ "conversationFilters": [ | ] }');
    assert.equal(snippetSiteAt(conv, convAt), 'conversationFilter');
    const [pred, predAt] = at('{ "segmentFilters": [ { "type": "and", "predicates": [ |  ] } ] }');
    assert.equal(snippetSiteAt(pred, predAt), 'predicate');
    const [none, noneAt] = at('{ "interval": "|" }');
    assert.equal(snippetSiteAt(none, noneAt), undefined);
    for (const site of ['topLevelKey', 'segmentFilter', 'conversationFilter', 'predicate'] as const) {
      assert.ok(snippetsFor(site).length > 0);
    }
  });

  it('every predicate and filter snippet, with its first choices taken, is JSON', () => {
    for (const site of ['segmentFilter', 'conversationFilter', 'predicate'] as const) {
      for (const s of snippetsFor(site)) {
        // ${1|a,b|} → a, ${2:x} → x, $1 / ${1} / $0 → nothing
        const plain = s.body.replace(/\$\{\d+\|([^,|]+)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\}|\$\d/g, '');
        assert.doesNotThrow(() => JSON.parse(plain), `${s.label}: ${plain}`);
      }
    }
  });

  it('puts CodeLenses on the line of the top-level object, after leading comments', () => {
    assert.equal(bodyStartOffset('// one\n// two\n{ "interval": "x" }'), 14);
    assert.equal(bodyStartOffset('not json'), 0);
  });
});
