import { hashPassword } from '../../server/auth/passwords.js';
import type { Role } from '../../server/auth/policy.js';

/**
 * The credentials every test server is started with: one API token per role (sent as `Authorization: Bearer`),
 * and people who sign in with `TEST_PASSWORD` (two operators, so four-eyes approval can be exercised).
 */
export const TEST_TOKENS: Readonly<Record<Role, string>> = Object.freeze({
  viewer: 'test-viewer-token-0123456789abcdef',
  operator: 'test-operator-token-0123456789abcdef',
  admin: 'test-admin-token-0123456789abcdef',
});

export const TEST_PASSWORD = 'correct horse battery staple';

export const TEST_USERS: readonly { name: string; role: Role }[] = [
  { name: 'vera', role: 'viewer' },
  { name: 'olga', role: 'operator' },
  { name: 'omar', role: 'operator' },
  { name: 'ada', role: 'admin' },
];

/** `FLOWLENS_API_TOKENS` for the test tokens. */
export function testApiTokensEnv(): string {
  return Object.entries(TEST_TOKENS)
    .map(([role, token]) => `${token}:${role}`)
    .join(',');
}

let users: Promise<string> | undefined;

/** `FLOWLENS_USERS` for the test users: hashed once per process, at scrypt's lowest cost the users file accepts. */
export function testUsersEnv(): Promise<string> {
  users ??= Promise.all(
    TEST_USERS.map(async ({ name, role }) => ({ name, role, password_hash: await hashPassword(TEST_PASSWORD, { N: 2 ** 10, r: 8, p: 1 }) })),
  ).then((records) => JSON.stringify(records));
  return users;
}

/** Headers that act with a role's API token. */
export function asRole(role: Role, headers: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${TEST_TOKENS[role]}`, ...headers };
}
