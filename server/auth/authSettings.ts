import { z } from 'zod';
import { flag } from '../config/settingValues.js';
import { ROLES, type Role } from './policy.js';

/**
 * The schemas of the access-control settings, for server/config/config.ts (which lists the settings with their
 * docs). They check shape only; users.ts checks each user (name, role, password hash) at start and whenever the
 * users file changes. Imports nothing from the config, so the config can import it.
 */

const wholeNumber = z.preprocess((v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v), z.number({ error: 'must be a whole number' }).int('must be a whole number'));

const usersFile = z.string().min(1).optional();

/** A list of user records: a list in the config file, JSON text in the environment. */
const users = z.union([z.string(), z.array(z.unknown())]).transform((v, ctx): unknown[] => {
  if (Array.isArray(v)) return v;
  try {
    const parsed: unknown = JSON.parse(v);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // Reported below.
  }
  ctx.addIssue({ code: 'custom', message: 'must be a JSON list of users, e.g. [{"name": "ana", "role": "operator", "password_hash": "scrypt$…"}]' });
  return [];
});

/** `<token>:<role>,…` (a token may itself hold colons: the role follows the last one). */
const apiTokens = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((t) => t.trim()).filter((t) => t.length > 0))
  .transform((entries, ctx) =>
    entries.flatMap((entry, i): { token: string; role: Role }[] => {
      const colon = entry.lastIndexOf(':');
      const role = entry.slice(colon + 1).trim();
      const token = colon > 0 ? entry.slice(0, colon).trim() : '';
      if (!(ROLES as readonly string[]).includes(role)) {
        ctx.addIssue({ code: 'custom', message: `token ${i + 1}: must be <token>:<role>, role ${ROLES.join(', ').replace(/, (\w+)$/, ' or $1')}` });
        return [];
      }
      if (token.length < 24) {
        ctx.addIssue({ code: 'custom', message: `token ${i + 1}: must be at least 24 characters, e.g. from openssl rand -base64 32` });
        return [];
      }
      return [{ token, role: role as Role }];
    }),
  );

const sessionSecret = z.string().min(32, 'must be at least 32 characters, e.g. from openssl rand -base64 48').optional();

const sessionTtlMs = wholeNumber.pipe(z.number().min(60_000, 'must be at least 60000 (one minute)').max(30 * 86_400_000, 'must be at most 30 days'));

export const AUTH_SCHEMAS = { usersFile, users, apiTokens, sessionSecret, sessionTtlMs, trustProxy: flag };
