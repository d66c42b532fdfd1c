import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SETTINGS, type Config } from '../config/config.js';
import type { UsersChange } from '../auth/users.js';
import { SYSTEM_AUDIT_ACTIONS } from '../contracts/accessApi.js';
import type { AuditEntry } from './auditService.js';

/**
 * Configuration changes in the audit trail. Flowlens is configured by files and the environment, not by an API,
 * so a change shows at the next start: each start compares a fingerprint of every setting and every file of
 * `dashboards/` with the one the previous start left in the data folder, and records one `config.change` row
 * naming what changed (never a value: secrets and all are compared as keyed digests). The users file is read
 * again while running; its changes are recorded as `config.users` rows ({@link usersChangeEntry}).
 */

const FILE = 'config-fingerprint.json';

type Fingerprint = { salt: string; settings: Record<string, string>; files: Record<string, string> };

/**
 * The audit row for this start's configuration — on the first start with this data folder, or when something
 * changed since the previous start — and the fingerprint saved for the next start.
 */
export async function configChangeEntry(config: Config, dashboardsDir: string, now: number = Date.now()): Promise<AuditEntry | undefined> {
  const file = path.join(config.dataDir, FILE);
  const previous = await readFingerprint(file);
  const salt = previous?.salt ?? randomBytes(16).toString('base64url');
  const digest = (value: unknown) => createHmac('sha256', salt).update(JSON.stringify(value) ?? 'undefined').digest('base64url');
  const settings = Object.fromEntries(Object.entries(SETTINGS).map(([key, setting]) => [setting.env, digest(config[key as keyof typeof SETTINGS])]));
  const files: Record<string, string> = {};
  for (const name of await filesUnder(dashboardsDir)) files[`dashboards/${name}`] = digest(await readFile(path.join(dashboardsDir, name), 'utf8'));
  const next: Fingerprint = { salt, settings, files };
  await mkdir(config.dataDir, { recursive: true });
  const temp = `${file}.tmp`;
  await writeFile(temp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
  const changed = previous === undefined ? undefined : changes(previous, next);
  if (changed !== undefined && changed.settings.length === 0 && changed.files.length === 0) return undefined;
  return {
    at: now,
    actor: 'system',
    actor_kind: 'system',
    action: SYSTEM_AUDIT_ACTIONS.configChange,
    target: 'configuration',
    method: 'START',
    path: config.dataDir,
    from_ip: '',
    status: 0,
    result: 'ok',
    detail: changed === undefined ? 'first start with this data folder' : clip(describe(changed)),
  };
}

/** What the users file's new version changed, as an audit row; undefined when nothing that matters did. */
export function usersChangeEntry(file: string, change: UsersChange, now: number = Date.now()): AuditEntry | undefined {
  const parts = [
    change.added.length > 0 ? `added ${change.added.join(', ')}` : '',
    change.removed.length > 0 ? `removed ${change.removed.join(', ')}` : '',
    change.roles.length > 0 ? `role changed ${change.roles.map((r) => `${r.name} ${r.from}→${r.to}`).join(', ')}` : '',
    change.passwords.length > 0 ? `password changed ${change.passwords.join(', ')}` : '',
    change.problem === undefined ? '' : `unusable, nobody can sign in: ${change.problem}`,
  ].filter((p) => p !== '');
  if (parts.length === 0) return undefined;
  return {
    at: now,
    actor: 'system',
    actor_kind: 'system',
    action: SYSTEM_AUDIT_ACTIONS.usersChange,
    target: file,
    method: 'FILE',
    path: file,
    from_ip: '',
    status: 0,
    result: change.problem === undefined ? 'ok' : 'failed',
    detail: clip(parts.join('; ')),
  };
}

function clip(text: string): string {
  return text.length > 512 ? `${text.slice(0, 511)}…` : text;
}

type Changes = { settings: string[]; files: string[] };

function changes(before: Fingerprint, after: Fingerprint): Changes {
  const differ = (a: Record<string, string>, b: Record<string, string>) => [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
  return { settings: differ(before.settings, after.settings), files: differ(before.files, after.files) };
}

function describe({ settings, files }: Changes): string {
  return [settings.length > 0 ? `settings ${settings.join(', ')}` : '', files.length > 0 ? `files ${files.join(', ')}` : ''].filter((p) => p !== '').join('; ');
}

async function readFingerprint(file: string): Promise<Fingerprint | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Fingerprint>;
    if (typeof parsed.salt !== 'string' || typeof parsed.settings !== 'object' || typeof parsed.files !== 'object') return undefined;
    return { salt: parsed.salt, settings: parsed.settings ?? {}, files: parsed.files ?? {} };
  } catch {
    return undefined;
  }
}

/** Every file under `dir`, relative, sorted (the catalog's YAML and its README). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}
