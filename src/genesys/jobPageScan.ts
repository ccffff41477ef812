import { isUtf8 } from 'node:buffer';
import type { WireRow } from './types';

/** A job results page taken from its body without parsing it into objects (a class: no parsed body passes for one). */
export class ScannedJobPage {
  rows?: WireRow[];
  cursor?: string;
  dataAvailabilityDate?: string;
  /** Set by the HTTP client when the body is a pooled buffer (see JobResultsPage.release). */
  release?: () => void;
}

/** The body is not one the scanner takes as is; the caller parses it instead. */
class NotScannable extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const MAX_DEPTH = 256;
const ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const CONVERSATION_ID = Buffer.from('"conversationId"');

/**
 * Reads a job results page (`{"conversations":[{…},…],"cursor":"…"}`) straight from its bytes: each row's
 * byte range and conversationId, the cursor and dataAvailabilityDate. Decoding 5 MB of UTF-8 into a
 * string, `JSON.parse`, and `JSON.stringify` of every row again for the cache cost about 100 ms a
 * 1,000-row page and most of the garbage the client makes; this pass costs about a tenth of that and the
 * rows go to the cache as the bytes that came.
 *
 * It checks the full JSON grammar (strings and their escapes, numbers, literals, nesting), that the body is
 * valid UTF-8, and that it holds no control bytes (compact JSON has none; a raw newline would split a row in
 * the cache's one-row-a-line file). Anything else — pretty-printed JSON, a row that is not an object or has
 * no string conversationId, `conversations` that is not a list, a malformed body — returns undefined, and the caller parses the text as for
 * any other response, which yields the same results or the same error as before.
 */
export function scanJobResultsPage(body: Buffer): ScannedJobPage | undefined {
  if (!isUtf8(body) || hasControlByte(body)) {
    return undefined;
  }
  try {
    return new Scanner(body).page();
  } catch (err) {
    if (err instanceof NotScannable) {
      return undefined;
    }
    throw err;
  }
}

function hasControlByte(b: Buffer): boolean {
  for (let c = 0; c < SPACE; c++) {
    if (b.indexOf(c) >= 0) {
      return true;
    }
  }
  return false;
}

class Scanner {
  private _p = 0;
  /** The next backslash at or after `_bsFrom` (-1: none to the end), found with indexOf and reused. */
  private _bs = -1;
  private _bsFrom = Number.POSITIVE_INFINITY;
  /** Whether the last string scanned held an escape. */
  private _escaped = false;
  /** Containers open around the current position. */
  private _depth = 0;
  private readonly _anyValue = (): void => this._value();

  constructor(private readonly _b: Buffer) {}

  page(): ScannedJobPage {
    const page = new ScannedJobPage();
    if (this._b[0] !== 0x7b) {
      throw new NotScannable();
    }
    this._container(0x7d, true, (keyStart, keyEnd) => {
      const key = this._decode(keyStart, keyEnd);
      const c = this._b[this._p];
      if (key === 'conversations' && c === 0x5b) {
        page.rows = this._rows();
      } else if (key === 'conversations' && c !== 0x6e) {
        // Neither a list nor null: the parsing path reports the shape.
        throw new NotScannable();
      } else if ((key === 'cursor' || key === 'dataAvailabilityDate') && c === QUOTE) {
        const start = this._p;
        this._string();
        page[key] = this._decode(start, this._p);
      } else {
        this._value();
      }
    });
    this._ws();
    if (this._p !== this._b.length) {
      throw new NotScannable();
    }
    return page;
  }

  private _rows(): WireRow[] {
    const rows: WireRow[] = [];
    this._container(0x5d, false, () => rows.push(this._row()));
    return rows;
  }

  /** One conversation object, its own top-level conversationId noted on the way. */
  private _row(): WireRow {
    const b = this._b;
    const start = this._p;
    let id: string | undefined;
    if (b[start] !== 0x7b) {
      throw new NotScannable();
    }
    this._container(0x7d, true, (keyStart, keyEnd) => {
      const isId = keyEnd - keyStart === CONVERSATION_ID.length && b.compare(CONVERSATION_ID, 0, CONVERSATION_ID.length, keyStart, keyEnd) === 0;
      if (isId && b[this._p] === QUOTE) {
        const valueStart = this._p;
        this._string();
        id = this._decode(valueStart, this._p);
      } else {
        this._value();
      }
    });
    if (id === undefined) {
      throw new NotScannable();
    }
    return { conversationId: id, json: b.subarray(start, this._p) };
  }

  private _value(): void {
    const c = this._b[this._p];
    if (c === QUOTE) {
      this._string();
    } else if (c === 0x7b) {
      this._container(0x7d, true, this._anyValue);
    } else if (c === 0x5b) {
      this._container(0x5d, false, this._anyValue);
    } else if (c === 0x74) {
      this._literal('true');
    } else if (c === 0x66) {
      this._literal('false');
    } else if (c === 0x6e) {
      this._literal('null');
    } else {
      this._number();
    }
  }

  /**
   * An object (`keyed`) or array from its opening bracket to after `close`. At each member's value (after
   * its key and colon, whose string spans [keyStart, keyEnd)) it calls `each`, which consumes the value.
   */
  private _container(close: number, keyed: boolean, each: (keyStart: number, keyEnd: number) => void): void {
    if (++this._depth > MAX_DEPTH) {
      throw new NotScannable();
    }
    const b = this._b;
    this._p++;
    this._ws();
    if (b[this._p] === close) {
      this._p++;
      this._depth--;
      return;
    }
    for (;;) {
      this._ws();
      let keyStart = -1;
      let keyEnd = -1;
      if (keyed) {
        keyStart = this._p;
        this._string();
        keyEnd = this._p;
        this._ws();
        this._expect(0x3a);
        this._ws();
      }
      each(keyStart, keyEnd);
      this._ws();
      const c = b[this._p++];
      if (c === close) {
        this._depth--;
        return;
      }
      if (c !== 0x2c) {
        throw new NotScannable();
      }
    }
  }

  /** A string from its opening quote to after its closing one, each escape checked. */
  private _string(): void {
    const b = this._b;
    if (b[this._p] !== QUOTE) {
      throw new NotScannable();
    }
    let q = this._p + 1;
    this._escaped = false;
    for (;;) {
      const quote = b.indexOf(QUOTE, q);
      if (quote < 0) {
        throw new NotScannable();
      }
      const bs = this._backslashFrom(q);
      if (bs < 0 || bs > quote) {
        this._p = quote + 1;
        return;
      }
      const e = b[bs + 1]!;
      this._escaped = true;
      if (ESCAPES.has(e)) {
        q = bs + 2;
      } else if (e === 0x75 && isHex(b[bs + 2]) && isHex(b[bs + 3]) && isHex(b[bs + 4]) && isHex(b[bs + 5])) {
        q = bs + 6;
      } else {
        throw new NotScannable();
      }
    }
  }

  private _backslashFrom(q: number): number {
    if (q < this._bsFrom || (this._bs >= 0 && this._bs < q)) {
      this._bs = this._b.indexOf(BACKSLASH, q);
      this._bsFrom = q;
    }
    return this._bs;
  }

  /** The string just scanned, [start, end): its bytes when it has no escape (the usual case), else what JSON.parse makes of it. */
  private _decode(start: number, end: number): string {
    return this._escaped ? (JSON.parse(this._b.toString('utf8', start, end)) as string) : this._b.toString('utf8', start + 1, end - 1);
  }

  private _number(): void {
    const b = this._b;
    if (b[this._p] === 0x2d) {
      this._p++;
    }
    if (b[this._p] === 0x30) {
      this._p++;
    } else if (isDigit(b[this._p])) {
      this._digits();
    } else {
      throw new NotScannable();
    }
    if (b[this._p] === 0x2e) {
      this._p++;
      this._digits();
    }
    if (b[this._p] === 0x65 || b[this._p] === 0x45) {
      this._p++;
      if (b[this._p] === 0x2b || b[this._p] === 0x2d) {
        this._p++;
      }
      this._digits();
    }
  }

  /** One or more digits. */
  private _digits(): void {
    const b = this._b;
    if (!isDigit(b[this._p])) {
      throw new NotScannable();
    }
    do {
      this._p++;
    } while (isDigit(b[this._p]));
  }

  private _literal(word: string): void {
    for (let i = 0; i < word.length; i++) {
      if (this._b[this._p + i] !== word.charCodeAt(i)) {
        throw new NotScannable();
      }
    }
    this._p += word.length;
  }

  private _expect(c: number): void {
    if (this._b[this._p] !== c) {
      throw new NotScannable();
    }
    this._p++;
  }

  /** Whitespace between tokens; control bytes were ruled out before, so only spaces can occur. */
  private _ws(): void {
    while (this._b[this._p] === SPACE) {
      this._p++;
    }
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}
