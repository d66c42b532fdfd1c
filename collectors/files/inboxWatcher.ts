import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EventIngestor } from '../pipeline/eventIngestor.js';
import { FILE_KINDS, ingestFile, type FileKind, type FileReport } from './fileIngest.js';

export type InboxLogger = { info(o: object, m: string): void; warn(o: object, m: string): void };

export type InboxOptions = {
  /** How often the folders are listed (default 2 s). */
  pollMs?: number;
  /** A file not modified for this long is complete at first sight (default 2 × pollMs). */
  quietMs?: number;
  /** Larger files go to failed/ unread (default 64 MiB). */
  maxFileBytes?: number;
  logger: InboxLogger;
};

export type InboxWatcher = { stop(): Promise<void>; scanNow(): Promise<void> };

type Seen = { size: number; mtimeMs: number };

const IN_PROGRESS = /\.(partial|tmp)$/i;

/**
 * Ingest files dropped into `<dir>/<kind>/` (settlement, pos, journal). A file is taken once it is complete:
 * its size and modification time did not change between two scans, it has not been modified for `quietMs`
 * (a file renamed into the folder keeps the time it was written), or it replaces the `.partial` / `.tmp` file
 * seen in the previous scan. Dot-files and `*.partial` / `*.tmp` are never read.
 *
 * Afterwards the file moves to `<dir>/processed/<kind>/` (or `<dir>/failed/<kind>/` when nothing in it could be
 * used) beside `<name>.report.json`. When the store is unavailable the file stays for the next scan; event ids
 * come from the file's content, so ingesting it again stores nothing twice.
 */
export function watchInbox(dir: string, ingestor: EventIngestor, options: InboxOptions): InboxWatcher {
  const pollMs = options.pollMs ?? 2000;
  const quietMs = options.quietMs ?? 2 * pollMs;
  const maxFileBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
  const { logger } = options;
  let seen = new Map<string, Seen>();
  let partials = new Set<string>();

  async function scan(): Promise<void> {
    const nextSeen = new Map<string, Seen>();
    const nextPartials = new Set<string>();
    for (const kind of FILE_KINDS) {
      const folder = path.join(dir, kind);
      const names = await listFiles(folder);
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const file = path.join(folder, name);
        if (IN_PROGRESS.test(name)) {
          nextPartials.add(file.replace(IN_PROGRESS, ''));
          continue;
        }
        const info = await stat(file).catch(() => undefined);
        if (!info?.isFile()) continue;
        const now: Seen = { size: info.size, mtimeMs: info.mtimeMs };
        const before = seen.get(file);
        const complete =
          (before !== undefined && before.size === now.size && before.mtimeMs === now.mtimeMs) || Date.now() - info.mtimeMs >= quietMs || partials.has(file);
        if (!complete) {
          nextSeen.set(file, now);
          continue;
        }
        const done = await processFile(kind, folder, name, info.size);
        if (!done) nextSeen.set(file, now);
      }
    }
    seen = nextSeen;
    partials = nextPartials;
  }

  async function listFiles(folder: string): Promise<string[]> {
    try {
      const entries = await readdir(folder, { withFileTypes: true });
      return entries.filter((e) => e.isFile()).map((e) => e.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') await mkdir(folder, { recursive: true });
      else logger.warn({ err, folder }, 'inbox folder could not be listed');
      return [];
    }
  }

  /** Ingest one file and move it away; false when it stays for the next scan. */
  async function processFile(kind: FileKind, folder: string, name: string, size: number): Promise<boolean> {
    const file = path.join(folder, name);
    try {
      if (size > maxFileBytes) {
        const message = `file is larger than ${maxFileBytes} bytes; split it`;
        await moveWithReport(file, 'failed', kind, name, { kind, file: name, outcome: 'refused', code: 'too_large', message });
        logger.warn({ file, kind, size }, 'inbox file refused: too large');
        return true;
      }
      const outcome = await ingestFile(ingestor, kind, await readFile(file, 'utf8'));
      if (outcome.result === 'unavailable') {
        logger.warn({ file, kind, status: outcome.status, retryAfterSeconds: outcome.retryAfterSeconds }, 'inbox file left for the next scan: store unavailable');
        return false;
      }
      if (outcome.result === 'refused') {
        await moveWithReport(file, 'failed', kind, name, reportOf(name, outcome.report, 'refused', outcome.message));
        logger.warn({ file, kind, code: outcome.code, reason: outcome.message }, 'inbox file refused');
        return true;
      }
      const report = outcome.report;
      await moveWithReport(file, 'processed', kind, name, reportOf(name, report, 'stored'));
      const counts = { lines: report.lines, accepted: report.accepted, duplicates: report.duplicates, rejected: report.rejected };
      logger.info({ file, kind, ...counts }, 'inbox file ingested');
      return true;
    } catch (err) {
      logger.warn({ err, file, kind }, 'inbox file could not be processed; it stays for the next scan');
      return false;
    }
  }

  async function moveWithReport(file: string, outcome: 'processed' | 'failed', kind: FileKind, name: string, report: object): Promise<void> {
    const targetDir = path.join(dir, outcome, kind);
    await mkdir(targetDir, { recursive: true });
    const target = await freeName(targetDir, name);
    const reportFile = `${target}.report.json`;
    // Report first (written whole, then renamed): a crash before the move leaves the file to be ingested again.
    await writeFile(`${reportFile}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
    await rename(`${reportFile}.tmp`, reportFile);
    await rename(file, target);
  }

  let chain: Promise<void> = Promise.resolve();
  const scanNow = (): Promise<void> => {
    const next = chain.then(scan);
    chain = next.catch((err: unknown) => logger.warn({ err, dir }, 'inbox scan failed'));
    return next;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      scanNow()
        .catch(() => {})
        .finally(() => {
          if (!stopped) schedule();
        });
    }, pollMs);
    timer.unref();
  };
  schedule();

  return {
    scanNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await chain;
    },
  };
}

function reportOf(name: string, report: FileReport, outcome: 'stored' | 'refused', message?: string): object {
  return { file: name, outcome, ...(message ? { message } : {}), ...report };
}

/** `name`, or `name` with a time stamp before its extension when a file of that name was handled before. */
async function freeName(folder: string, name: string): Promise<string> {
  const candidate = path.join(folder, name);
  if (!(await exists(candidate))) return candidate;
  const ext = path.extname(name);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return path.join(folder, `${path.basename(name, ext)}.${stamp}${ext}`);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
