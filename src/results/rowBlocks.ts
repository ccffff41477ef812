import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { RowSource } from './rowSource';
import type { Line, StoredBytes, StoredMember } from './rowSource';
import { DamagedRowsError, ndjsonOf, readIndex, readRowsFile } from './rowSource';

/**
 * The compressed rows file (rows.ndjson.gz): each appended page is one gzip member of its NDJSON lines, so
 * the file is a multi-member gzip stream (`zcat` and DuckDB's read_ndjson read it whole) and any row is one
 * member's inflate away. rows.idx keeps 8 bytes a row: the end byte of the row's member (uint48 LE) and the
 * row's line in it (uint16 LE); the member starts where the previous one ends, the end of the row just
 * before the member's first line. Written rows → index → manifest, like the plain file, so a cache cut back
 * after a crash is cut at a member boundary.
 */

/**
 * Lines per gzip member at most: a page of 1,000 rows is written as ten members. Small members keep a window
 * cheap (a 200-row window inflates two or three members, about 300 rows, instead of one or two whole pages)
 * and cost almost nothing in size, because deflate only looks back 32 KB (about seven conversations)
 * anyway: measured on sandbox conversations at level 6, 0.585 KB a conversation in members of 100 against
 * 0.575 KB in members of 1,000. The line field of an index entry is 16 bits.
 */
export const BLOCK_MAX_ROWS = 100;

/**
 * zlib level. Measured on sandbox conversations (CPU per 1,000 rows): level 1 0.73 KB a conversation at
 * ≈ 17 ms, level 4 0.63 KB at ≈ 25 ms, level 6 (zlib's default) 0.58 KB at ≈ 40 ms. The size goal (≤ 1 KB)
 * is met by all; 4 keeps the fetch's CPU low.
 */
export const GZIP_LEVEL = 4;

/** Members compressed at once by one append (two keep both of a 2-core machine's pool threads busy for a single walk). */
const MEMBERS_AT_ONCE = 2;

const ENTRY = 8;
/** Inflated members kept per reader, in bytes: the next window in order (or one across a member boundary) inflates nothing again. */
const CACHE_BYTES = 8 * 1024 * 1024;
/** Smallest possible gzip member (10-byte header, empty deflate, 8-byte trailer). */
const MIN_MEMBER = 20;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
/** Bounds of zlib's output chunk when inflating a member (see inflateChunk). */
const MIN_CHUNK = 16 * 1024;
const MAX_CHUNK = 32 * 1024 * 1024;

/**
 * zlib's output chunk for inflating `member`: the inflated size its gzip trailer states (ISIZE), plus one byte
 * so zlib ends the stream without asking for a further chunk. The text then comes out as one buffer:
 * with zlib's default 16 KB chunks, a 450 KB member came out in ~28 pieces that were then copied into one,
 * 20 % of a load's worker time (300k profile: `Buffer.concat` 4.5 of 31.5 CPU-s, chunk callbacks 2.9 more).
 * Only a hint: a damaged trailer may say anything, and output past the chunk still comes out whole, in more pieces.
 */
function inflateChunk(member: Buffer): number {
  const isize = member.length >= MIN_MEMBER ? member.readUInt32LE(member.length - 4) : 0;
  return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, isize + 1));
}

/**
 * A run of rows to lay out in the rows file: lines to compress, or one gzip member taken as it is (copied
 * from another run's cache by a merge, which then skips deflating it again) holding `rows` lines.
 */
export type BlockPiece = { lines: readonly Line[] } | { member: Buffer; rows: number };

/**
 * Compresses `lines` (as NDJSON) into members of at most BLOCK_MAX_ROWS lines to be written at
 * byte `at` of the rows file, with their index entries. Runs on zlib's thread pool, off the event loop.
 */
export function encodeBlocks(lines: readonly Line[], at: number): Promise<{ bytes: Buffer; index: Buffer }> {
  return encodePieces([{ lines }], at);
}

/** `encodeBlocks` for pieces in order, each either lines to compress or a member kept as it is. */
export async function encodePieces(pieces: readonly BlockPiece[], at: number): Promise<{ bytes: Buffer; index: Buffer }> {
  const chunks: Array<Line[] | { member: Buffer; rows: number }> = [];
  for (const piece of pieces) {
    if ('member' in piece) {
      chunks.push(piece);
      continue;
    }
    for (let first = 0; first < piece.lines.length; first += BLOCK_MAX_ROWS) {
      chunks.push(piece.lines.slice(first, first + BLOCK_MAX_ROWS));
    }
  }
  // Members compress side by side on the pool's threads, MEMBERS_AT_ONCE at a time, each one's NDJSON
  // built just before: a page's ten members' text (5 MB) is not all held at once.
  const members: Array<{ member: Buffer; rows: number }> = new Array(chunks.length);
  let next = 0;
  const compress = async (): Promise<void> => {
    for (let k = next++; k < chunks.length; k = next++) {
      const c = chunks[k]!;
      members[k] = Array.isArray(c) ? { member: await gzipAsync(ndjsonOf(c), { level: GZIP_LEVEL }), rows: c.length } : c;
    }
  };
  await Promise.all(Array.from({ length: Math.min(MEMBERS_AT_ONCE, chunks.length) }, compress));
  const index = Buffer.alloc(members.reduce((n, m) => n + m.rows, 0) * ENTRY);
  let end = at;
  let row = 0;
  for (const { member, rows } of members) {
    end += member.length;
    for (let line = 0; line < rows; line++, row++) {
      index.writeUIntLE(end, row * ENTRY, 6);
      index.writeUInt16LE(line, row * ENTRY + 6);
    }
  }
  return { bytes: members.length === 1 ? members[0]!.member : Buffer.concat(members.map((m) => m.member)), index };
}

const endAt = (index: Buffer, i: number): number => index.readUIntLE(i * ENTRY, 6);
const lineAt = (index: Buffer, i: number): number => index.readUInt16LE(i * ENTRY + 6);

/** The rows of one member that a read wants. */
interface Segment {
  start: number;
  end: number;
  firstLine: number;
  lastLine: number;
  rows: number;
}

interface Block {
  start: number;
  end: number;
  /** The member's CRC-32 and length: tells a cached member from different bytes written over the same range. */
  trailer: Buffer;
  data: Buffer;
  /** Byte where each line starts, plus data.length. */
  lineStarts: number[];
}

/** Reads rows of rows.ndjson.gz through rows.idx, keeping the last members it inflated. */
export class BlockRows implements RowSource {
  readonly format = 'blocks';
  private _cache: Block[] = [];

  constructor(
    private readonly _rows: FileHandle,
    private readonly _index: FileHandle,
    readonly path: string,
  ) {}

  async indexedRows(): Promise<number> {
    return Math.floor((await this._index.stat()).size / ENTRY);
  }

  async read(from: number, to: number): Promise<string[]> {
    if (to <= from) {
      return [];
    }
    const segments = await this._segments(from, to);
    const blocks = await this._blocks(segments);
    const out: string[] = [];
    segments.forEach((seg, k) => {
      const block = this._checked(seg, blocks[k]!);
      // One decode per row (cheaper in V8 than decoding the lines as one string and splitting it).
      for (let line = seg.firstLine; line <= seg.lastLine; line++) {
        out.push(block.data.toString('utf8', block.lineStarts[line], block.lineStarts[line + 1]! - 1));
      }
    });
    return out;
  }

  async readMembers(from: number, minRows: number): Promise<StoredMember[]> {
    const { segments } = await this._membersFrom(from, minRows);
    if (segments.length === 0) {
      return [];
    }
    // Read once, inflated side by side, not cached: a merge reads each member once.
    const stored = await this._storedBytes(segments);
    const blocks = await Promise.all(segments.map((seg, k) => this._inflate(seg.start, seg.end, stored[k]!)));
    return segments.map((seg, k) => {
      const block = this._checked(seg, blocks[k]!);
      const lines: Uint8Array[] = [];
      for (let line = seg.firstLine; line <= seg.lastLine; line++) {
        lines.push(block.data.subarray(block.lineStarts[line], block.lineStarts[line + 1]! - 1));
      }
      const whole = seg.firstLine === 0 && seg.lastLine === block.lineStarts.length - 2;
      return { lines, ...(whole ? { gzip: stored[k]! } : {}) };
    });
  }

  /**
   * Whole members from row `from` on, at least `minRows` rows (fewer at the end), as stored: not read
   * through, so not checked either (a damaged one is found by whoever reads it). Undefined when `from`
   * is inside a member or the last member wanted is longer than BLOCK_MAX_ROWS (so maybe not seen whole).
   */
  async memberBytes(from: number, minRows: number): Promise<StoredBytes[] | undefined> {
    const { segments, cut } = await this._membersFrom(from, minRows);
    if (segments.length === 0) {
      return [];
    }
    if (cut || segments.some((seg) => seg.firstLine !== 0 || seg.lastLine !== seg.rows - 1)) {
      return undefined;
    }
    const stored = await this._storedBytes(segments);
    return segments.map((seg, k) => ({ gzip: stored[k]!, rows: seg.rows }));
  }

  /**
   * The members from row `from` on until they hold at least `minRows` rows (fewer at the end). The index is
   * read a member's worth of entries further, so the last member wanted is seen whole unless `cut`.
   */
  private async _membersFrom(from: number, minRows: number): Promise<{ segments: Segment[]; cut: boolean }> {
    const total = await this.indexedRows();
    const to = Math.min(total, from + minRows + BLOCK_MAX_ROWS);
    if (to <= from) {
      return { segments: [], cut: false };
    }
    const all = await this._segments(from, to);
    const segments: Segment[] = [];
    let rows = 0;
    for (const seg of all) {
      if (rows >= minRows) {
        break;
      }
      segments.push(seg);
      rows += seg.rows;
    }
    return { segments, cut: segments.length === all.length && to < total };
  }

  /** Each of `segments`' bytes as stored (contiguous in the file: read in one go). */
  private async _storedBytes(segments: readonly Segment[]): Promise<Buffer[]> {
    this._checkSizes(segments);
    const lo = segments[0]!.start;
    const raw = Buffer.alloc(segments.at(-1)!.end - lo);
    await readRowsFile(this._rows, raw, lo);
    return segments.map((seg) => raw.subarray(seg.start - lo, seg.end - lo));
  }

  /** The members holding rows [from, to), with the lines wanted of each, through the index. */
  private async _segments(from: number, to: number): Promise<Segment[]> {
    // Entries from-1 .. to-1: the one before the window ends the member before row `from`'s when that row opens a member.
    const base = Math.max(0, from - 1);
    const index = Buffer.alloc((to - base) * ENTRY);
    await readIndex(this._index, index, base * ENTRY);
    const at = from - base;
    let start = await this._memberStart(from, lineAt(index, at), index, base);
    const segments: Segment[] = [];
    for (let i = at; i < to - base; ) {
      const end = endAt(index, i);
      let j = i + 1;
      while (j < to - base && endAt(index, j) === end) {
        j++;
      }
      segments.push({ start, end, firstLine: lineAt(index, i), lastLine: lineAt(index, j - 1), rows: j - i });
      start = end;
      i = j;
    }
    return segments;
  }

  private _checkSizes(segments: readonly Segment[]): void {
    for (const seg of segments) {
      if (seg.end - seg.start < MIN_MEMBER) {
        throw this._damaged(seg.start, seg.end, 'too short for a gzip member');
      }
    }
  }

  /** `block`, once its lines agree with what the index says of `seg`. */
  private _checked(seg: Segment, block: Block): Block {
    if (seg.lastLine - seg.firstLine !== seg.rows - 1 || seg.lastLine + 1 >= block.lineStarts.length) {
      throw this._damaged(seg.start, seg.end, `the index names lines ${seg.firstLine}–${seg.lastLine} of ${block.lineStarts.length - 1}`);
    }
    return block;
  }

  async endMark(rows: number): Promise<number> {
    if (rows === 0) {
      return 0;
    }
    const entry = Buffer.alloc(ENTRY);
    const { bytesRead } = await this._index.read(entry, 0, ENTRY, (rows - 1) * ENTRY);
    // The line in the member counts too: a view loaded to the middle of a member is told from one loaded to its end.
    return bytesRead === ENTRY ? endAt(entry, 0) * 65_536 + lineAt(entry, 0) : -1;
  }

  /** First byte of the member holding `row` (line `line` in it): the end of the member before. */
  private async _memberStart(row: number, line: number, index: Buffer, base: number): Promise<number> {
    const before = row - line - 1;
    if (before < 0) {
      return 0;
    }
    if (before >= base) {
      return endAt(index, before - base);
    }
    const entry = Buffer.alloc(ENTRY);
    await readIndex(this._index, entry, before * ENTRY);
    return endAt(entry, 0);
  }

  /** The inflated members of `segments` (contiguous in the file): cached ones checked, the others read in one go and inflated side by side. */
  private async _blocks(segments: readonly Segment[]): Promise<Block[]> {
    this._checkSizes(segments);
    const found = await Promise.all(segments.map((seg) => this._cached(seg.start, seg.end)));
    const missing = segments.filter((_, k) => !found[k]);
    if (missing.length > 0) {
      const lo = missing[0]!.start;
      const raw = Buffer.alloc(missing.at(-1)!.end - lo);
      await readRowsFile(this._rows, raw, lo);
      const inflated = await Promise.all(missing.map((seg) => this._inflate(seg.start, seg.end, raw.subarray(seg.start - lo, seg.end - lo))));
      let m = 0;
      segments.forEach((_, k) => (found[k] ??= inflated[m++]));
    }
    const blocks = found as Block[];
    // Most recent first (this read's last members lead: the next read in order starts there), within the
    // byte budget, so a long read (an export batch) does not stay in memory after it.
    const kept: Block[] = [];
    let bytes = 0;
    for (const b of [...[...blocks].reverse(), ...this._cache]) {
      if (!kept.includes(b) && (kept.length === 0 || bytes + b.data.length <= CACHE_BYTES)) {
        kept.push(b);
        bytes += b.data.length;
      }
    }
    this._cache = kept;
    return blocks;
  }

  /** The cached member at [start, end), if the bytes there are still the ones it was inflated from. */
  private async _cached(start: number, end: number): Promise<Block | undefined> {
    const hit = this._cache.find((b) => b.start === start && b.end === end);
    if (!hit) {
      return undefined;
    }
    const trailer = Buffer.alloc(8);
    await readRowsFile(this._rows, trailer, end - 8);
    return trailer.equals(hit.trailer) ? hit : undefined;
  }

  private async _inflate(start: number, end: number, raw: Buffer): Promise<Block> {
    let data: Buffer;
    try {
      data = await gunzipAsync(raw, { chunkSize: inflateChunk(raw) });
    } catch (err) {
      throw this._damaged(start, end, err instanceof Error ? err.message : String(err));
    }
    const lineStarts = [0];
    for (let p = data.indexOf(10); p !== -1; p = data.indexOf(10, p + 1)) {
      lineStarts.push(p + 1);
    }
    if (lineStarts.at(-1) !== data.length) {
      throw this._damaged(start, end, 'its last line is not complete');
    }
    return { start, end, trailer: Buffer.from(raw.subarray(raw.length - 8)), data, lineStarts };
  }

  private _damaged(start: number, end: number, why: string): Error {
    return new DamagedRowsError(this.path, `the block at bytes ${start}–${end}: ${why}`);
  }
}
