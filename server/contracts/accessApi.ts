import { z } from 'zod';

/**
 * Access-control answers: who is signed in (`/api/v1/session`) and the audit trail (`GET /api/v1/audit`, admins).
 * The web app parses both with these schemas.
 */

export const ROLE_NAMES = ['viewer', 'operator', 'admin'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** The caller: a signed-in person (`via: session`) or an API token (`token:<fingerprint>`). */
export const sessionSchema = z.object({
  name: z.string(),
  role: z.enum(ROLE_NAMES),
  via: z.enum(['session', 'api_token', 'ingest_key', 'none']),
  /** When the sign-in ends, epoch ms; null for API tokens. */
  expires_at: z.number().nullable(),
});
export type Session = z.infer<typeof sessionSchema>;

export const AUDIT_RESULT_NAMES = ['ok', 'denied', 'failed'] as const;

/**
 * Actions the server records by itself rather than for a request (server/services/configAudit.ts): a start whose
 * configuration changed, and a new version of the users file. Every other action name is a route's, in the policy
 * table (server/auth/policy.ts).
 */
export const SYSTEM_AUDIT_ACTIONS = { configChange: 'config.change', usersChange: 'config.users' } as const;

/** One audited request: who, what, on which target, when (UTC epoch ms), from where, and how it ended. */
export const auditRowSchema = z.object({
  audit_id: z.string(),
  at: z.number(),
  actor: z.string(),
  actor_kind: z.string(),
  action: z.string(),
  target: z.string(),
  method: z.string(),
  path: z.string(),
  from_ip: z.string(),
  status: z.number(),
  result: z.enum(AUDIT_RESULT_NAMES),
  detail: z.string(),
});
export type AuditEntryRow = z.infer<typeof auditRowSchema>;

/** Newest first; `has_more` when another page follows (`offset` + `limit`). */
export const auditPageSchema = z.object({ rows: z.array(auditRowSchema), has_more: z.boolean(), from: z.number(), to: z.number() });
export type AuditPageAnswer = z.infer<typeof auditPageSchema>;
