import { randomBytes } from 'node:crypto';
import { hashPassword } from './passwords.js';
import type { Role } from './policy.js';

/** A demo account: what `npm start` prints, and the record that goes into the users. */
export type DemoAccount = { name: string; role: Role; password: string; record: { name: string; role: Role; password_hash: string } };

/** Two operators, so a replay's four-eyes approval can be tried; a viewer; an admin (the audit trail). */
const DEMO: readonly { name: string; role: Role }[] = [
  { name: 'admin', role: 'admin' },
  { name: 'operator', role: 'operator' },
  { name: 'operator2', role: 'operator' },
  { name: 'viewer', role: 'viewer' },
];

/**
 * Accounts for the demo started by `npm start`, with fresh random passwords each run: nothing guessable is ever
 * open, and the start-up banner prints them. Put `record` of each into the config's `users` when none are set.
 */
export async function demoAccounts(): Promise<DemoAccount[]> {
  return Promise.all(
    DEMO.map(async ({ name, role }) => {
      const password = randomBytes(12).toString('base64url');
      return { name, role, password, record: { name, role, password_hash: await hashPassword(password) } };
    }),
  );
}
