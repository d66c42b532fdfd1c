import { readFile, stat } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../config/config.js';
import { AppError } from '../errors.js';
import { parsePasswordHash } from './passwords.js';
import { ROLES, type Role } from './policy.js';

/**
 * The people who can sign in: from the users file (FLOWLENS_USERS_FILE, YAML or JSON) or from the config
 * (FLOWLENS_USERS / auth.users). Each user is checked with zod and every problem is named by its path. The file
 * is looked at on every request (a stat) and read again when it changed, so removing a user or changing a role
 * takes effect at once; a file that stops being valid locks everyone out (and says so in the log) rather than
 * keeping users someone meant to remove.
 */

export type User = { name: string; role: Role; passwordHash: string };

export type UserDirectory = {
  /** The user signing in under `name` (any case), or undefined. Throws 503 while the users file is broken. */
  find(name: string): Promise<User | undefined>;
  /** Any one user, for a dummy hash with the same cost as the real ones. */
  sample(): User | undefined;
  /** Where the users come from, for the start-up log. */
  source: string;
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const HASH_HINT = 'run `npm run -s hash-password`, type the password, and put what it prints in password_hash';

const required = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `is required: ${what}` : 'must be text');
const passwordHash = z.string({ error: required(`the password's hash (${HASH_HINT})`) }).superRefine((value, ctx) => {
  const parsed = parsePasswordHash(value);
  if (parsed.ok) return;
  const message = value.startsWith('scrypt$') ? `is not a valid hash: ${parsed.reason}` : `looks like a plain password, which is never stored: ${HASH_HINT}`;
  ctx.addIssue({ code: 'custom', message });
});

const userRecord = z.strictObject({
  name: z.string({ error: required('the sign-in name') }).regex(NAME, 'must be 1–64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit'),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
  password_hash: passwordHash,
});

const usersFileSchema = z.strictObject({ users: z.array(z.unknown(), { error: 'must be a list of users' }) }, { error: 'must be a mapping with a `users:` list' });

/** Check a list of user records; throws ConfigError naming `origin` and each problem's path. */
export function parseUsers(records: readonly unknown[], origin: string): User[] {
  const problems: string[] = [];
  const users: User[] = [];
  const seen = new Map<string, number>();
  records.forEach((record, i) => {
    const parsed = userRecord.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${origin}: ${describeIssue(`users[${i}]`, issue)}`);
      return;
    }
    const key = parsed.data.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) problems.push(`${origin}: users[${i}].name: "${parsed.data.name}" is already users[${first}] (names are compared ignoring case)`);
    else seen.set(key, i);
    users.push({ name: parsed.data.name, role: parsed.data.role, passwordHash: parsed.data.password_hash });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return users;
}

/** Read and check a users file (YAML, or JSON, which YAML reads too). */
export async function loadUsersFile(file: string): Promise<User[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`FLOWLENS_USERS_FILE: cannot read ${file}: ${(err as Error).message}`]);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (err) {
    throw new ConfigError([`FLOWLENS_USERS_FILE: ${file} is not valid YAML or JSON: ${(err as Error).message}`]);
  }
  const parsed = usersFileSchema.safeParse(document);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `FLOWLENS_USERS_FILE ${file}: ${describeIssue('', i)}`));
  return parseUsers(parsed.data.users, `FLOWLENS_USERS_FILE ${file}`);
}

export type UserSources = {
  usersFile?: string;
  users: readonly unknown[];
  /** Told once each time the users file stops being readable or valid. */
  onProblem?: (message: string) => void;
  /** Told what a new version of the users file changed (for the audit trail). */
  onChange?: (change: UsersChange) => void;
};

/** How a new version of the users file differs from the one before. */
export type UsersChange = { added: string[]; removed: string[]; roles: { name: string; from: Role; to: Role }[]; passwords: string[]; problem?: string };

/** What changed between two sets of users (names compared ignoring case, reported as the new file writes them). */
export function diffUsers(before: ReadonlyMap<string, User>, after: ReadonlyMap<string, User>): UsersChange {
  const change: UsersChange = { added: [], removed: [], roles: [], passwords: [] };
  for (const [key, user] of after) {
    const old = before.get(key);
    if (old === undefined) change.added.push(user.name);
    else if (old.role !== user.role) change.roles.push({ name: user.name, from: old.role, to: user.role });
    if (old !== undefined && old.passwordHash !== user.passwordHash) change.passwords.push(user.name);
  }
  for (const [key, user] of before) if (!after.has(key)) change.removed.push(user.name);
  return change;
}

/** The users, checked now (a problem throws ConfigError, so the start stops naming it). */
export async function openUserDirectory(sources: UserSources): Promise<UserDirectory> {
  if (sources.usersFile !== undefined && sources.users.length > 0) {
    throw new ConfigError(['FLOWLENS_USERS_FILE and FLOWLENS_USERS (auth.users) are both set: keep the users in one place']);
  }
  if (sources.usersFile === undefined) {
    const byName = index(parseUsers(sources.users, 'FLOWLENS_USERS (auth.users)'));
    return { find: async (name) => byName.get(name.toLowerCase()), sample: () => byName.values().next().value, source: 'FLOWLENS_USERS (auth.users)' };
  }
  return watchedFile(sources.usersFile, sources.onProblem ?? (() => {}), sources.onChange ?? (() => {}));
}

async function watchedFile(file: string, onProblem: (message: string) => void, onChange: (change: UsersChange) => void): Promise<UserDirectory> {
  let signature = await signatureOf(file);
  let byName = index(await loadUsersFile(file));
  let broken: string | undefined;
  let reloading: Promise<void> | undefined;

  const refresh = async () => {
    let current: string;
    try {
      current = await signatureOf(file);
    } catch (err) {
      current = `missing: ${(err as Error).message}`;
    }
    if (current === signature) return;
    signature = current;
    const before = byName;
    try {
      byName = index(await loadUsersFile(file));
      broken = undefined;
      onChange(diffUsers(before, byName));
    } catch (err) {
      broken = err instanceof ConfigError ? err.problems.join('; ') : (err as Error).message;
      byName = new Map();
      onProblem(`users file ${file} is unusable, so nobody can sign in until it is fixed: ${broken}`);
      onChange({ ...diffUsers(before, byName), problem: broken });
    }
  };

  return {
    source: `FLOWLENS_USERS_FILE ${file}`,
    sample: () => byName.values().next().value,
    async find(name) {
      // One look at the file at a time; requests arriving meanwhile share it.
      reloading ??= refresh().finally(() => {
        reloading = undefined;
      });
      await reloading;
      if (broken !== undefined) throw new AppError(503, 'users_unavailable', 'the users file cannot be used right now; the server log says why');
      return byName.get(name.toLowerCase());
    },
  };
}

async function signatureOf(file: string): Promise<string> {
  const s = await stat(file, { bigint: true });
  return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

function index(users: readonly User[]): Map<string, User> {
  return new Map(users.map((u) => [u.name.toLowerCase(), u]));
}

function describeIssue(prefix: string, issue: z.core.$ZodIssue): string {
  const path = issue.path.reduce<string>(joinPath, prefix);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((key) => (key === 'password' ? `${joinPath(path, key)}: a password is never stored here; ${HASH_HINT}` : `${joinPath(path, key)}: unknown field; use name, role and password_hash`))
      .join('; ');
  }
  return `${path || '(top level)'}: ${issue.message}`;
}

function joinPath(path: string, key: PropertyKey): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? String(key) : `${path}.${String(key)}`;
}
