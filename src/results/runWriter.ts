import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomicFile';
import { readFully, withPath, writeFully } from '../common/fileIo';
import { SerialQueue } from '../common/serialQueue';
import type { ConversationRecord } from '../genesys/types';
import { hashId, IdIndex } from './idIndex';
import { acquireLock, releaseLock } from './writerLock';
import type { RunManifest } from './manifest';
import { IDS_FILE, INDEX_FILE, MANIFEST_FILE } from './manifest';
import type { BlockPiece } from './rowBlocks';
import { BlockRows, encodePieces } from './rowBlocks';
import type { Line, RowFormat, RowSource, StoredBytes } from './rowSource';
import { DamagedRowsError, detectRowFormat, encodePlain, PlainRows, rowsFileOf } from './rowSource';

/** Fields a runner may change through the writer (counts and bytes are the writer's own business). */
export type ManifestUpdate = Partial<Omit<RunManifest, 'version' | 'runId' | 'rowCount' | 'bytes' | 'duplicatesSkipped' | 'createdAt'>>;

/** Rows read back per step when the id index is rebuilt from the rows (a folder without the rows.ids sidecar). */
const PARSE_ROWS = 1000;

export { RunBusyError, WRITER_LOCK_FILE, withWriterLock } from './writerLock';

/** A row as stored: its id and its JSON text (one line, no newline), as a string or as UTF-8 bytes. */
export interface RawRow {
  conversationId: string;
  json: string | Uint8Array;
}

/**
 * Rows to append, and the gzip member (rows.ndjson.gz) holding exactly their lines as another run's cache
 * stores it, when they come from one whole: written as it is when every row is kept.
 */
export interface RowBlock {
  rows: readonly RawRow[];
  gzip?: Buffer;
}

export interface AppendResult {
  /** Rows actually written (new conversationIds). */
  appended: number;
  /** Rows skipped as duplicates. */
  duplicates: number;
}

/**
 * Appends pages to one run folder. Order per page, so a crash at any point loses nothing the manifest
 * claims: rows (a gzip member of the page's NDJSON, rowBlocks.ts) → offsets index → manifest (tmp +
 * rename). Memory stays flat: only the current page and a compact hash index of the stored
 * conversationIds (IdIndex, ≤16 bytes a row) are held. A run folder from before the compressed cache
 * (plain rows.ndjson) is appended to in its own format.
 */
export class RunWriter {
  private _manifest: RunManifest;
  private readonly _dir: string;
  private readonly _ids = new IdIndex();
  private _rows: FileHandle | undefined;
  private _index: FileHandle | undefined;
  private _hashes: FileHandle | undefined;
  private _format: RowFormat = 'blocks';
  /** Reads back stored rows (duplicate checks, the id index of an old folder) through the writer's own handles. */
  private _source: RowSource | undefined;
  private _closed = false;
  private readonly _writes = new SerialQueue();

  private constructor(dir: string, manifest: RunManifest) {
    this._dir = dir;
    this._manifest = manifest;
  }

  /** Opens a run folder for appending. Rows beyond the manifest's count (a crash between writes) are cut off. */
  static async open(dir: string, manifest: RunManifest): Promise<RunWriter> {
    // Two writers on one folder (Resume clicked twice, or two windows resuming at start-up) would each
    // truncate and append at their own offsets, overwriting each other's rows and manifests.
    await acquireLock(dir, manifest.runId);
    const writer = new RunWriter(dir, manifest);
    try {
      await writer._openFiles();
    } catch (err) {
      await writer._rows?.close().catch(() => undefined);
      await writer._index?.close().catch(() => undefined);
      await writer._hashes?.close().catch(() => undefined);
      await releaseLock(dir);
      throw err;
    }
    return writer;
  }

  get manifest(): Readonly<RunManifest> {
    return this._manifest;
  }

  get rowCount(): number {
    return this._manifest.rowCount;
  }

  get dir(): string {
    return this._dir;
  }

  /** Whether `conversationId` is already stored in this run. */
  has(conversationId: string): Promise<boolean> {
    return this._writes.run(() => this._isStored(conversationId));
  }

  /**
   * Appends one page's rows (skipping conversationIds already stored) and then applies `update` to the
   * manifest, atomically, in that order. Calls are serialised.
   */
  appendPage(rows: readonly ConversationRecord[], update: ManifestUpdate = {}): Promise<AppendResult> {
    return this._append([{ rows: rows.map((row) => ({ conversationId: row.conversationId, json: JSON.stringify(row) })) }], update);
  }

  /**
   * `appendPage` for rows already in their JSON text (one line each, no newline), e.g. a results page as
   * it came (jobPageScan.ts) or rows copied from another run's cache: nothing is serialised again.
   */
  appendRawRows(rows: readonly RawRow[], update: ManifestUpdate = {}): Promise<AppendResult> {
    return this._append([{ rows }], update);
  }

  /**
   * `appendRawRows` for rows copied from another run's cache in its stored blocks (a merge): a block whose
   * rows are all kept is written as the gzip member it came in, so it is not deflated again.
   */
  appendStoredBlocks(blocks: readonly RowBlock[], update: ManifestUpdate = {}): Promise<AppendResult> {
    return this._append(blocks, update);
  }

  private _append(blocks: readonly RowBlock[], update: ManifestUpdate): Promise<AppendResult> {
    return this._writes.run(async () => {
      this._assertOpen();
      const lines: Line[] = [];
      const pieces: BlockPiece[] = [];
      const pageIds = new Set<string>();
      let duplicates = 0;
      // One synchronous pass (no await per row): a page's loop must not hold the event loop through a
      // chain of microtasks, or the runner's prefetched request waits for it. Only rows whose id hash is
      // already known (real duplicates, rare clashes) are confirmed against the disk, after the pass.
      const suspects = new Set<string>();
      for (const block of blocks) {
        for (const { conversationId } of block.rows) {
          if (this._ids.candidates(conversationId).length > 0) {
            suspects.add(conversationId);
          }
        }
      }
      const stored = new Set<string>();
      for (const id of suspects) {
        if (await this._isStored(id)) {
          stored.add(id);
        }
      }
      for (const block of blocks) {
        const first = lines.length;
        for (const { conversationId: id, json } of block.rows) {
          if (pageIds.has(id) || stored.has(id)) {
            duplicates++;
            continue;
          }
          pageIds.add(id);
          lines.push(json);
        }
        const kept = lines.length - first;
        if (block.gzip && kept === block.rows.length && kept > 0) {
          pieces.push({ member: block.gzip, rows: kept });
        } else if (kept > 0) {
          pieces.push({ lines: lines.slice(first) });
        }
      }
      let bytes = this._manifest.bytes;
      if (lines.length > 0) {
        // Compression runs on zlib's thread pool: the runner's prefetched request goes out meanwhile.
        const at = this._manifest.bytes;
        bytes = await this._commit(this._format === 'plain' ? encodePlain(lines, at) : await encodePieces(pieces, at), [...pageIds].map(hashId));
      }
      await this._advance(lines.length, duplicates, bytes, update);
      return { appended: lines.length, duplicates };
    });
  }

  /**
   * Appends whole gzip members as another run's cache stores them, given each row's id hash (its rows.ids
   * sidecar): a merge of rows that need no check but the duplicate filter, so they are neither inflated
   * nor deflated. All or nothing: when a hash is already known (a duplicate, or a clash to confirm
   * against the rows) or repeats within the batch, or this run is stored plain, nothing is written and
   * undefined comes back; the caller then appends the rows themselves.
   */
  appendStoredMembers(members: readonly StoredBytes[], hashes: Uint32Array, update: ManifestUpdate = {}): Promise<AppendResult | undefined> {
    return this._writes.run(async () => {
      this._assertOpen();
      const rows = members.reduce((n, m) => n + m.rows, 0);
      const unique = new Set(hashes);
      if (this._format === 'plain' || rows !== hashes.length || unique.size !== hashes.length || hashes.some((h) => this._ids.knows(h))) {
        return undefined;
      }
      const bytes = rows > 0 ? await this._commit(await encodePieces(members.map((m) => ({ member: m.gzip, rows: m.rows })), this._manifest.bytes), [...hashes]) : this._manifest.bytes;
      await this._advance(rows, 0, bytes, update);
      return { appended: rows, duplicates: 0 };
    });
  }

  /**
   * Writes encoded rows and their id hashes after the claimed ones and syncs them, before any manifest
   * claims them. Returns where the rows file now ends.
   */
  private async _commit(encoded: { bytes: Buffer; index: Buffer }, hashes: readonly number[]): Promise<number> {
    const at = this._manifest.bytes;
    const rowsPath = join(this._dir, rowsFileOf(this._format));
    const indexPath = join(this._dir, INDEX_FILE);
    await withPath(rowsPath, () => writeFully(this._rows!, encoded.bytes, at));
    await withPath(indexPath, () => writeFully(this._index!, encoded.index, this._manifest.rowCount * 8));
    await this._writeHashes(hashes, this._manifest.rowCount);
    // On disk before the manifest that claims them: after a power loss or OS crash (not just a
    // process crash) the renamed manifest could otherwise point at rows that were never written.
    await withPath(rowsPath, () => this._rows!.datasync());
    await withPath(indexPath, () => this._index!.datasync());
    await withPath(join(this._dir, IDS_FILE), () => this._hashes!.datasync());
    let rowIndex = this._manifest.rowCount;
    for (const h of hashes) {
      this._ids.addHash(h, rowIndex++);
    }
    return at + encoded.bytes.length;
  }

  /** Claims the rows just committed, up to byte `bytes` of the rows file (and applies `update`), in the manifest. */
  private async _advance(rows: number, duplicates: number, bytes: number, update: ManifestUpdate): Promise<void> {
    this._manifest = {
      ...this._manifest,
      ...update,
      rowCount: this._manifest.rowCount + rows,
      bytes,
      duplicatesSkipped: this._manifest.duplicatesSkipped + duplicates,
      updatedAt: new Date().toISOString(),
    };
    await this._writeManifest();
  }

  /** Changes manifest fields without adding rows (state changes, cursor, warnings). */
  update(update: ManifestUpdate): Promise<void> {
    return this._writes.run(async () => {
      this._assertOpen();
      this._manifest = { ...this._manifest, ...update, updatedAt: new Date().toISOString() };
      await this._writeManifest();
    });
  }

  /** Adds a warning once (the same text is not repeated). */
  async warn(message: string): Promise<void> {
    if (!this._manifest.warnings.includes(message)) {
      await this.update({ warnings: [...this._manifest.warnings, message] });
    }
  }

  async close(): Promise<void> {
    await this._writes.run(async () => {
      if (this._closed) {
        return;
      }
      this._closed = true;
      await this._rows?.close();
      await this._index?.close();
      await this._hashes?.close();
      this._rows = undefined;
      this._index = undefined;
      this._source = undefined;
      this._hashes = undefined;
      await releaseLock(this._dir);
    });
  }

  private async _openFiles(): Promise<void> {
    this._format = await detectRowFormat(this._dir);
    const rowsPath = join(this._dir, rowsFileOf(this._format));
    const indexPath = join(this._dir, INDEX_FILE);
    const idsPath = join(this._dir, IDS_FILE);
    // 'a+' would force appends at the end; 'r+' after ensuring the files exist lets us write at offsets.
    for (const path of [rowsPath, indexPath, idsPath]) {
      await (await fsp.open(path, 'a')).close();
    }
    this._rows = await fsp.open(rowsPath, 'r+');
    this._index = await fsp.open(indexPath, 'r+');
    this._hashes = await fsp.open(idsPath, 'r+');
    this._source = this._format === 'plain' ? new PlainRows(this._rows, this._index, rowsPath) : new BlockRows(this._rows, this._index, rowsPath);
    // Anything past what the manifest claims was written by a process that died before its manifest update
    // (in the compressed file: a whole or torn gzip member, always after the last claimed one).
    await this._rows.truncate(this._manifest.bytes);
    await this._index.truncate(this._manifest.rowCount * 8);
    if (this._manifest.rowCount > 0) {
      await this._loadSeenIds(rowsPath, idsPath);
    } else {
      await this._hashes.truncate(0);
    }
    await this._writeManifest();
  }

  /**
   * Rebuilds the id index from the rows.ids sidecar (4 bytes a row) instead of parsing every row. Rows
   * the sidecar lacks (a run folder from before it existed) are parsed and added to it. The first and
   * last rows are read back as a spot check: a damaged or mismatching cache is parsed in full instead.
   */
  private async _loadSeenIds(rowsPath: string, idsPath: string): Promise<void> {
    const rowCount = this._manifest.rowCount;
    const known = Math.min(Math.floor((await this._hashes!.stat()).size / 4), rowCount);
    await this._hashes!.truncate(known * 4);
    const hashes = Buffer.alloc(known * 4);
    await readFully(this._hashes!, hashes, 0);
    for (let row = 0; row < known; row++) {
      this._ids.addHash(hashes.readUInt32LE(row * 4), row);
    }
    const consistent = known === 0 || ((await this._hashMatches(0, hashes, rowsPath)) && (await this._hashMatches(known - 1, hashes, rowsPath)));
    const from = consistent ? known : 0;
    if (!consistent) {
      this._ids.clear();
      await this._hashes!.truncate(0);
    }
    if (from < rowCount) {
      await this._parseRows(rowsPath, from);
      await withPath(idsPath, () => this._hashes!.datasync());
    }
  }

  private async _hashMatches(row: number, hashes: Buffer, rowsPath: string): Promise<boolean> {
    let id: string;
    try {
      id = await this._storedId(row);
    } catch (err) {
      throw this._damaged(row, rowsPath, err);
    }
    return hashId(id) === hashes.readUInt32LE(row * 4);
  }

  /** Parses rows [from, rowCount) for their ids, adding them to the index and to the sidecar. */
  private async _parseRows(rowsPath: string, from: number): Promise<void> {
    const rowCount = this._manifest.rowCount;
    let batch: number[] = [];
    for (let first = from; first < rowCount; first += PARSE_ROWS) {
      let lines: string[];
      try {
        lines = await this._source!.read(first, Math.min(rowCount, first + PARSE_ROWS));
      } catch (err) {
        throw this._damaged(first, rowsPath, err);
      }
      for (let i = 0; i < lines.length; i++) {
        let id: unknown;
        try {
          id = (JSON.parse(lines[i]!) as Partial<ConversationRecord>).conversationId;
        } catch {
          // Not a SyntaxError: that would be taken for a malformed Genesys response ("try again").
        }
        if (typeof id !== 'string') {
          throw this._damaged(first + i, rowsPath);
        }
        const h = hashId(id);
        this._ids.addHash(h, first + i);
        batch.push(h);
      }
      if (batch.length >= 65_536) {
        await this._writeHashes(batch, first + lines.length - batch.length);
        batch = [];
      }
    }
    await this._writeHashes(batch, rowCount - batch.length);
  }

  private _damaged(row: number, rowsPath: string, cause?: unknown): Error {
    const detail = cause instanceof DamagedRowsError ? `; ${cause.detail}` : '';
    return new Error(`The cached rows of run ${this._manifest.runId} are damaged (line ${row + 1} of ${rowsPath}${detail}). Delete the run and run the query again.`, { cause });
  }

  private async _writeHashes(hashes: readonly number[], atRow: number): Promise<void> {
    if (hashes.length === 0) {
      return;
    }
    const buf = Buffer.alloc(hashes.length * 4);
    hashes.forEach((h, i) => buf.writeUInt32LE(h, i * 4));
    await withPath(join(this._dir, IDS_FILE), () => writeFully(this._hashes!, buf, atRow * 4));
  }

  /** Exact membership: the hash index narrows to candidate rows, whose stored ids are read to confirm. */
  private async _isStored(id: string): Promise<boolean> {
    for (const row of this._ids.candidates(id)) {
      if ((await this._storedId(row)) === id) {
        return true;
      }
    }
    return false;
  }

  private async _storedId(row: number): Promise<string> {
    const [line] = await this._source!.read(row, row + 1);
    return (JSON.parse(line!) as ConversationRecord).conversationId;
  }

  private _writeManifest(): Promise<void> {
    const path = join(this._dir, MANIFEST_FILE);
    return withPath(path, () => writeFileAtomic(path, JSON.stringify(this._manifest, null, 1)));
  }

  private _assertOpen(): void {
    if (this._closed || !this._rows || !this._index) {
      throw new Error(`Results writer for run ${this._manifest.runId} is closed`);
    }
  }
}
