import * as assert from 'node:assert/strict';
import { ScannedJobPage, scanJobResultsPage } from '../../../src/genesys/jobPageScan';
import { normaliseJobResultsPage } from '../../../src/genesys/responses';
import { Dataset } from '../../../src/sandbox/dataset';
import { defaultOptions } from '../../../src/sandbox/options';

/** A results page body as the sandbox serves it: conversations with the XSS corpus (quotes, RTL, 10 KB strings…). */
function sandboxPage(count: number, tail = ',"cursor":"next"'): { body: Buffer; texts: string[] } {
  const options = defaultOptions();
  options.conversations = 2_000;
  options.days = 7;
  options.xssCorpus = true;
  const dataset = new Dataset(options, Date.parse('2026-01-15T00:00:00Z'));
  const texts = Array.from({ length: count }, (_, i) => dataset.jobWireText(i * 7).toString('utf8'));
  return { body: Buffer.from(`{"conversations":[${texts.join(',')}]${tail}}`), texts };
}

/** What the parsing path makes of a body: the reference the scanner must agree with. */
function parsed(body: Buffer): { ids: string[]; rows: unknown[]; cursor: unknown; dataAvailabilityDate: unknown } {
  const r = JSON.parse(body.toString('utf8')) as { conversations?: Array<{ conversationId: string }>; cursor?: unknown; dataAvailabilityDate?: unknown };
  return { ids: (r.conversations ?? []).map((c) => c.conversationId), rows: r.conversations ?? [], cursor: r.cursor, dataAvailabilityDate: r.dataAvailabilityDate };
}

function assertAgrees(scanned: ScannedJobPage, body: Buffer): void {
  const want = parsed(body);
  assert.deepEqual(scanned.rows?.map((r) => r.conversationId) ?? [], want.ids);
  assert.deepEqual(scanned.rows?.map((r) => JSON.parse(Buffer.from(r.json).toString('utf8')) as unknown) ?? [], want.rows);
  assert.equal(scanned.cursor, typeof want.cursor === 'string' ? want.cursor : undefined);
  assert.equal(scanned.dataAvailabilityDate, typeof want.dataAvailabilityDate === 'string' ? want.dataAvailabilityDate : undefined);
}

describe('engine / results pages scanned from their bytes (jobPageScan)', () => {
  it('takes each row as the bytes the server sent, with its id, and the cursor and availability date', () => {
    const { body, texts } = sandboxPage(300, ',"cursor":"a\\/b\\u00e9\\"c","dataAvailabilityDate":"2026-01-14T00:00:00.000Z"');
    assert.ok(texts.some((t) => /[^\x20-\x7e]/.test(t)) && texts.some((t) => t.includes('\\"')), 'the corpus holds non-ASCII text and escapes');
    const page = scanJobResultsPage(body);
    assert.ok(page instanceof ScannedJobPage);
    assert.deepEqual(
      page.rows?.map((r) => Buffer.from(r.json).toString('utf8')),
      texts,
    );
    assertAgrees(page, body);
    assert.equal(page.cursor, 'a/bé"c');
  });

  it('reads an empty list, a null list, no list and a last page without cursor', () => {
    for (const text of ['{"conversations":[]}', '{"conversations":null,"cursor":"x"}', '{}', '{"cursor":"","other":{"a":[1,-2.5e+3,true,false,null]}}']) {
      const page = scanJobResultsPage(Buffer.from(text));
      assert.ok(page, text);
      assertAgrees(page, Buffer.from(text));
      assert.deepEqual(normaliseJobResultsPage(page), text === '{"conversations":[]}' ? { rows: [] } : text.includes('"x"') ? { cursor: 'x' } : {});
    }
  });

  it('leaves every body it does not take as is to the parser: pretty-printed, control bytes, bad UTF-8, bad JSON, odd shapes', () => {
    const row = '{"conversationId":"c1","n":1}';
    const refused = [
      `{\n  "conversations": [${row}]\n}`, // valid, but pretty-printed: a raw newline would split a cached row
      `{"conversations":[{"conversationId":"c1","note":"tab\there"}]}`, // a raw control byte in a string
      `{"conversations":[${row}]`, // cut short
      `{"conversations":[${row}]}x`, // trailing bytes
      `{"conversations":[{"conversationId":"c1","n":01}]}`,
      `{"conversations":[{"conversationId":"c1","n":1.}]}`,
      `{"conversations":[{"conversationId":"c1","n":-}]}`,
      `{"conversations":[{"conversationId":"c1","b":tru}]}`,
      `{"conversations":[{"conversationId":"c1","s":"\\q"}]}`,
      `{"conversations":[{"conversationId":"c1","s":"\\u12G4"}]}`,
      `{"conversations":[{"conversationId":"c1",}]}`,
      `{"conversations":[${row},]}`,
      `{"conversations":[{"conversationId":"c1" "n":1}]}`,
      `{"conversations":[{"n":1}]}`, // no conversationId
      `{"conversations":[{"conversationId":7}]}`,
      `{"conversations":[[1]]}`, // a row that is not an object
      `{"conversations":{"conversationId":"c1"}}`, // not a list: the parser names the shape
      `{"conversations":[{"a":${'['.repeat(300)}${']'.repeat(300)},"conversationId":"c1"}]}`, // deeper than the scanner goes
    ].map((t) => Buffer.from(t));
    refused.push(Buffer.concat([Buffer.from('{"conversations":[{"conversationId":"c1","s":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]}')]));
    for (const body of refused) {
      assert.equal(scanJobResultsPage(body), undefined, body.toString('latin1').slice(0, 80));
    }
    // The parsing path still reads the valid one and names the bad shape.
    const pretty = normaliseJobResultsPage(JSON.parse(refused[0]!.toString()));
    assert.deepEqual(pretty.rows?.map((r) => Buffer.from(r.json).toString()), [row]);
    assert.throws(() => normaliseJobResultsPage(JSON.parse(refused[16]!.toString())), /unexpected shape/);
  });

  it('never takes a body JSON.parse refuses, and agrees with it on every body it takes (2,000 random edits)', () => {
    const base = Buffer.from('{"conversations":[{"conversationId":"c1","a":[1,-0.5,2e-3,true,false,null,{}],"s":"x\\"y\\\\z\\u00e9 é"},{"b":{"c":[]},"conversationId":"c\\u0032"}],"cursor":"k1"}');
    const alphabet = Buffer.from('{}[]",:\\-+.0123456789eEtrufalsn x');
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let taken = 0;
    for (let i = 0; i < 2_000; i++) {
      const bytes = [...base];
      for (let edits = 1 + random(2); edits > 0; edits--) {
        const at = random(bytes.length);
        const op = random(3);
        const b = alphabet[random(alphabet.length)]!;
        if (op === 0) {
          bytes[at] = b;
        } else if (op === 1) {
          bytes.splice(at, 0, b);
        } else {
          bytes.splice(at, 1);
        }
      }
      const body = Buffer.from(bytes);
      const page = scanJobResultsPage(body);
      if (page) {
        taken++;
        assert.doesNotThrow(() => JSON.parse(body.toString('utf8')), body.toString());
        assertAgrees(page, body);
      }
    }
    // Both outcomes occurred, so the comparison above was exercised.
    assert.ok(taken > 20 && taken < 2_000, `taken ${taken}`);
  });
});
