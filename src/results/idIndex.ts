const EMPTY = 0xffffffff;

/**
 * A compact set of the conversationIds stored in a run, for de-duplication: an open-addressing table
 * of (32-bit hash, row index) pairs — 16 bytes per row at most, instead of ~80 for a Set of strings, so
 * a million-row run costs ~16 MB. Hashes can collide, so `candidates` only yields the rows that MAY hold
 * the id; the caller confirms against the stored row (rare: a real duplicate, or a 1-in-4-billion clash).
 */
export class IdIndex {
  private _hashes: Uint32Array;
  private _rows: Uint32Array;
  private _size = 0;

  constructor(initialCapacity = 1024) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this._hashes = new Uint32Array(capacity);
    this._rows = new Uint32Array(capacity).fill(EMPTY);
  }

  get size(): number {
    return this._size;
  }

  /** Forgets every row. */
  clear(): void {
    this._hashes = new Uint32Array(1024);
    this._rows = new Uint32Array(1024).fill(EMPTY);
    this._size = 0;
  }

  /** Row indexes whose id has the same hash as `id`. */
  candidates(id: string): number[] {
    const h = hashId(id);
    const mask = this._rows.length - 1;
    const out: number[] = [];
    for (let slot = h & mask; this._rows[slot] !== EMPTY; slot = (slot + 1) & mask) {
      if (this._hashes[slot] === h) {
        out.push(this._rows[slot]!);
      }
    }
    return out;
  }

  /** Whether some row's id has the hash `hash` (`hashId`): a row with that hash may be a duplicate. */
  knows(hash: number): boolean {
    const h = hash >>> 0;
    const mask = this._rows.length - 1;
    for (let slot = h & mask; this._rows[slot] !== EMPTY; slot = (slot + 1) & mask) {
      if (this._hashes[slot] === h) {
        return true;
      }
    }
    return false;
  }

  add(id: string, row: number): void {
    this.addHash(hashId(id), row);
  }

  /** Adds a row by its id's `hashId` (as stored in the rows.ids sidecar). */
  addHash(hash: number, row: number): void {
    if ((this._size + 1) * 2 > this._rows.length) {
      this._grow();
    }
    this._insert(hash >>> 0, row);
    this._size++;
  }

  private _insert(h: number, row: number): void {
    const mask = this._rows.length - 1;
    let slot = h & mask;
    while (this._rows[slot] !== EMPTY) {
      slot = (slot + 1) & mask;
    }
    this._hashes[slot] = h;
    this._rows[slot] = row;
  }

  private _grow(): void {
    const hashes = this._hashes;
    const rows = this._rows;
    this._hashes = new Uint32Array(rows.length * 2);
    this._rows = new Uint32Array(rows.length * 2).fill(EMPTY);
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] !== EMPTY) {
        this._insert(hashes[i]!, rows[i]!);
      }
    }
  }
}

/** FNV-1a over UTF-16 code units, with a final avalanche so sequential ids spread over the table. */
export function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
