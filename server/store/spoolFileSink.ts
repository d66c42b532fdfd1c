import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileLoader } from './fileLoaders.js';
import type { RowSink, WriteResult } from './rowSink.js';
import { readManifest, SPOOL_SUFFIX, writeManifest, writeRowsDurably } from './spoolFiles.js';

export type SpoolOptions<Row, Note> = {
  /** How a group of segment files reaches the table (engineFileLoader embedded, streamFileLoader for a server). */
  load: FileLoader;
  /** Bytes of unloaded segments past which new batches are refused (the sender gets 503 and retries). */
  maxSpoolBytes?: number;
  /** A load takes at most this many rows and bytes of waiting segments (one engine insert, one block). */
  maxGroupRows?: number;
  maxGroupBytes?: number;
  /** While the store is unavailable, try again this often. */
  retryMs?: number;
  /** What listeners need to know of a batch once it is loaded (kept in memory until then). */
  note?: (rows: readonly Row[]) => Note;
  /** A group was loaded: `notes` has one entry per segment, undefined for segments an earlier run left. */
  onLoaded?: (loaded: { rows: number; bytes: number; seconds: number; notes: readonly (Note | undefined)[] }) => void;
  onStoreDown?: (error: Error) => void;
  onStoreBack?: () => void;
  onRejected?: (segment: string, error: Error) => void;
};

export type SpoolStats = { batches: number; rows: number; bytes: number };

export type SpoolFileSink<Row> = RowSink<Row> & {
  /** Pick up what an earlier run left: loads its unfinished groups first, queues its segments. */
  recover(): Promise<number>;
  /** Resolves once every batch written so far is loaded, or the store is found unavailable. */
  flush(): Promise<void>;
  /** Stop loading after the current load; what is left stays on disk for the next start. */
  close(): Promise<void>;
  /** Acknowledged batches not loaded yet. */
  readonly waiting: SpoolStats;
  /** Rows waiting for a store that answers; 0 while it is unavailable (the spool's byte cap governs then). */
  readonly backlogRows: number;
  readonly storeAvailable: boolean;
};

type Segment<Note> = { name: string; rows: number; bytes: number; note?: Note };
type Group<Note> = { token: string; manifest: string; segments: Segment<Note>[] };

/**
 * The durable edge of ingest: a write-ahead spool. `write` appends a batch to the spool as an fsync'd file and
 * succeeds then — the batch is durable and may be acknowledged. A loader loads waiting batches into ClickHouse in
 * the background, many at a time: while one load runs, new batches wait and the next load takes them together,
 * so small requests do not each pay an engine insert (~6–40 ms fixed) and large ones are loaded in big blocks.
 *
 * Nothing twice: before a load, its group (segments and token) is written to a manifest; after it, the manifest
 * is renamed `.done` before any segment is removed. A crash mid-load reloads exactly the same files with the same
 * token, which the table's deduplication window stores once. Nothing lost: a segment is removed only after the
 * load that holds it succeeded. When the store is unavailable, batches keep being acknowledged from disk up to
 * `maxSpoolBytes` and the loader retries every `retryMs`. A segment the store refuses as bad data is set aside
 * as `.rejected` for an operator rather than blocking the spool.
 */
export function spoolFileRowSink<Row extends object, Note = never>(spoolDir: string, options: SpoolOptions<Row, Note>): SpoolFileSink<Row> {
  return new Spool<Row, Note>(spoolDir, options);
}

class Spool<Row extends object, Note> implements SpoolFileSink<Row> {
  readonly waiting: SpoolStats = { batches: 0, rows: 0, bytes: 0 };
  /** Segments not in a group yet, oldest first. */
  #queue: Segment<Note>[] = [];
  /** Groups with a manifest that must be loaded before anything else (left by a crash, or stalled by an outage). */
  #groups: Group<Note>[] = [];
  #loading: Promise<void> | undefined;
  #storeDown = false;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;
  #flushWaiters: (() => void)[] = [];
  readonly #maxSpoolBytes: number;
  readonly #maxGroupRows: number;
  readonly #maxGroupBytes: number;

  constructor(
    private readonly dir: string,
    private readonly options: SpoolOptions<Row, Note>,
  ) {
    if (/[*?{}[\]]/.test(dir)) throw new Error(`the spool folder's path must not contain * ? { } [ ] (the engine reads it as a glob): ${dir}`);
    mkdirSync(dir, { recursive: true });
    this.#maxSpoolBytes = options.maxSpoolBytes ?? 1024 ** 3;
    this.#maxGroupRows = options.maxGroupRows ?? 200_000;
    this.#maxGroupBytes = options.maxGroupBytes ?? 128 * 1024 ** 2;
  }

  get backlogRows(): number {
    return this.#storeDown ? 0 : this.waiting.rows;
  }

  get storeAvailable(): boolean {
    return !this.#storeDown;
  }

  async write(rows: readonly Row[], token: string): Promise<WriteResult> {
    if (rows.length === 0) return { ok: true };
    if (!/^[A-Za-z0-9-]+$/.test(token)) throw new Error(`batch token must be a plain identifier, got ${JSON.stringify(token)}`);
    if (this.waiting.bytes >= this.#maxSpoolBytes) {
      const why = this.#storeDown ? 'the store is unavailable and the ingest spool is full' : 'the ingest spool is full';
      return { ok: false, retryable: true, error: new Error(`${why} (${this.waiting.bytes} bytes waiting to be loaded)`) };
    }
    const name = `${token}${SPOOL_SUFFIX.segment}`;
    let bytes: number;
    try {
      bytes = await writeRowsDurably(path.join(this.dir, name), rows, this.dir);
    } catch (err) {
      return { ok: false, retryable: true, error: new Error(`could not write the ingest spool (${this.dir}): ${(err as Error).message}`) };
    }
    const segment: Segment<Note> = { name, rows: rows.length, bytes, note: this.options.note?.(rows) };
    this.#queue.push(segment);
    this.#count(segment, +1);
    this.#pump();
    return { ok: true };
  }

  async recover(): Promise<number> {
    const names = (await readdir(this.dir)).sort();
    const claimed = new Set<string>();
    const found: Segment<Note>[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (name.endsWith(SPOOL_SUFFIX.partial)) await rm(file, { force: true });
      else if (name.endsWith(SPOOL_SUFFIX.done)) {
        // Loaded: finish removing its segments.
        for (const segment of (await readManifest(file))?.segments ?? []) {
          claimed.add(segment);
          await rm(path.join(this.dir, segment), { force: true });
        }
        await rm(file, { force: true });
      } else if (name.endsWith(SPOOL_SUFFIX.group)) {
        const manifest = await readManifest(file);
        if (!manifest) {
          await rm(file, { force: true });
          continue;
        }
        const segments: Segment<Note>[] = [];
        for (const segment of manifest.segments) {
          claimed.add(segment);
          const bytes = await sizeOf(path.join(this.dir, segment));
          if (bytes !== undefined) segments.push({ name: segment, rows: 0, bytes });
        }
        this.#groups.push({ token: manifest.token, manifest: file, segments });
        found.push(...segments);
      } else if (name.endsWith(SPOOL_SUFFIX.legacyInflight)) {
        // Loaded alone with its own token by the version that wrote it: reload it the same way.
        const token = name.slice(0, -SPOOL_SUFFIX.legacyInflight.length);
        const segment = `${token}${SPOOL_SUFFIX.segment}`;
        await rename(file, path.join(this.dir, segment));
        claimed.add(segment);
        const manifest = path.join(this.dir, `${token}${SPOOL_SUFFIX.group}`);
        await writeManifest(manifest, { token, segments: [segment] }, this.dir);
        const bytes = (await stat(path.join(this.dir, segment))).size;
        this.#groups.push({ token, manifest, segments: [{ name: segment, rows: 0, bytes }] });
        found.push({ name: segment, rows: 0, bytes });
      }
    }
    for (const name of names) {
      if (!name.endsWith(SPOOL_SUFFIX.segment) || claimed.has(name)) continue;
      const segment: Segment<Note> = { name, rows: 0, bytes: (await stat(path.join(this.dir, name))).size };
      this.#queue.push(segment);
      found.push(segment);
    }
    // Rows of segments from an earlier run are not counted (that would mean reading them): bytes are.
    for (const segment of found) this.#count(segment, +1);
    this.#pump();
    await this.flush();
    return found.length;
  }

  flush(): Promise<void> {
    if (this.#settled()) return Promise.resolve();
    return new Promise((resolve) => this.#flushWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    await this.#loading;
    this.#wakeFlushWaiters();
  }

  #settled(): boolean {
    return this.#closed || this.#storeDown || (this.#queue.length === 0 && this.#groups.length === 0 && !this.#loading);
  }

  #wakeFlushWaiters(): void {
    if (this.#settled()) for (const wake of this.#flushWaiters.splice(0)) wake();
  }

  #count(segment: Segment<Note>, sign: 1 | -1): void {
    this.waiting.batches += sign;
    this.waiting.rows += sign * segment.rows;
    this.waiting.bytes += sign * segment.bytes;
  }

  /** Start the loader if it is idle and there is work; `probe` tries once while the store is known down. */
  #pump(probe = false): void {
    if (this.#loading || this.#closed || (this.#storeDown && !probe)) return;
    if (this.#queue.length === 0 && this.#groups.length === 0) return;
    this.#loading = this.#loadLoop().finally(() => {
      this.#loading = undefined;
      this.#wakeFlushWaiters();
      if (!this.#storeDown) this.#pump();
    });
  }

  async #loadLoop(): Promise<void> {
    while (!this.#closed) {
      const group = this.#groups.shift() ?? (this.#queue.length > 0 ? await this.#formGroup(this.#takeSegments()) : undefined);
      if (!group) return;
      const started = performance.now();
      const files = group.segments.map((s) => path.join(this.dir, s.name));
      const result = files.length === 0 ? ({ ok: true } as const) : await this.options.load(files, group.token);
      if (result.ok) {
        await this.#finish(group, (performance.now() - started) / 1000);
      } else if (result.retryable) {
        // The manifest stays: the retry loads exactly this group with its token.
        this.#groups.unshift(group);
        if (!this.#storeDown) this.options.onStoreDown?.(result.error);
        this.#storeDown = true;
        clearTimeout(this.#retry);
        this.#retry = setTimeout(() => this.#pump(true), this.options.retryMs ?? 2_000);
        this.#retry.unref();
        return;
      } else {
        await this.#reject(group, result.error);
      }
    }
  }

  #takeSegments(): Segment<Note>[] {
    const taken: Segment<Note>[] = [];
    let rows = 0;
    let bytes = 0;
    while (this.#queue.length > 0 && taken.length < 256) {
      const next = this.#queue[0]!;
      if (taken.length > 0 && (rows + next.rows > this.#maxGroupRows || bytes + next.bytes > this.#maxGroupBytes)) break;
      taken.push(this.#queue.shift()!);
      rows += next.rows;
      bytes += next.bytes;
    }
    return taken;
  }

  async #formGroup(segments: Segment<Note>[]): Promise<Group<Note>> {
    const token = randomUUID();
    const manifest = path.join(this.dir, `${token}${SPOOL_SUFFIX.group}`);
    await writeManifest(manifest, { token, segments: segments.map((s) => s.name) }, this.dir);
    return { token, manifest, segments };
  }

  async #finish(group: Group<Note>, seconds: number): Promise<void> {
    if (this.#storeDown) {
      this.#storeDown = false;
      this.options.onStoreBack?.();
    }
    // Marked loaded in one rename before any segment goes: a crash from here on removes, never reloads.
    const done = `${group.manifest.slice(0, -SPOOL_SUFFIX.group.length)}${SPOOL_SUFFIX.done}`;
    await rename(group.manifest, done);
    // Counted as loaded and reported in one step, before the files go: whoever sees nothing waiting (the
    // /metrics gauges) also sees these rows in the loaded totals.
    const rows = group.segments.reduce((n, s) => n + s.rows, 0);
    const bytes = group.segments.reduce((n, s) => n + s.bytes, 0);
    for (const segment of group.segments) this.#count(segment, -1);
    this.options.onLoaded?.({ rows, bytes, seconds, notes: group.segments.map((s) => s.note) });
    for (const segment of group.segments) await rm(path.join(this.dir, segment.name), { force: true });
    await rm(done, { force: true });
  }

  /** Bad data: the store took nothing of the group. Load its segments one by one and set the bad ones aside. */
  async #reject(group: Group<Note>, error: Error): Promise<void> {
    await rm(group.manifest, { force: true });
    if (group.segments.length > 1) {
      const alone: Group<Note>[] = [];
      for (const segment of group.segments) alone.push(await this.#formGroup([segment]));
      this.#groups.unshift(...alone);
      return;
    }
    for (const segment of group.segments) {
      await rename(path.join(this.dir, segment.name), path.join(this.dir, `${segment.name}${SPOOL_SUFFIX.rejected}`));
      this.#count(segment, -1);
      this.options.onRejected?.(segment.name, error);
    }
  }
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}
