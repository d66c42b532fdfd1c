import { open, readFile, rename } from 'node:fs/promises';

/** The files of a spool folder, by suffix. */
export const SPOOL_SUFFIX = {
  /** A batch still being written: never loaded, removed at start. */
  partial: '.partial',
  /** A complete, fsync'd batch (acknowledged), waiting to be loaded. */
  segment: '.ndjson',
  /** A load group: the segments loaded together and the token that deduplicates the load. */
  group: '.group',
  /** A group that is loaded: its segments are being removed. */
  done: '.done',
  /** Written by an earlier Flowlens version: a batch being loaded alone with its own token. */
  legacyInflight: '.inflight',
  /** A batch the store refused as bad data, kept for an operator. */
  rejected: '.rejected',
} as const;

export type GroupManifest = { token: string; segments: string[] };

/** Write rows as JSON lines to `file`: written as .partial, fsync'd, renamed, and the folder fsync'd. */
export async function writeRowsDurably(file: string, rows: readonly object[], dir: string): Promise<number> {
  let text = '';
  for (const row of rows) text += `${JSON.stringify(row)}\n`;
  return writeDurably(file, text, dir);
}

/** Record which segments a load takes, before it starts, so a crash reloads exactly them with the same token. */
export async function writeManifest(file: string, manifest: GroupManifest, dir: string): Promise<void> {
  await writeDurably(file, JSON.stringify(manifest), dir);
}

export async function readManifest(file: string): Promise<GroupManifest | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<GroupManifest>;
    if (typeof parsed.token === 'string' && Array.isArray(parsed.segments) && parsed.segments.every((s) => typeof s === 'string')) {
      return { token: parsed.token, segments: parsed.segments };
    }
  } catch {
    // A torn manifest cannot have been loaded: its load starts only after the manifest is durable.
  }
  return undefined;
}

async function writeDurably(file: string, text: string, dir: string): Promise<number> {
  const partial = `${file}${SPOOL_SUFFIX.partial}`;
  const handle = await open(partial, 'w');
  let bytes: number;
  try {
    bytes = (await handle.write(text)).bytesWritten;
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, file);
  await syncFolder(dir);
  return bytes;
}

async function syncFolder(dir: string): Promise<void> {
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
