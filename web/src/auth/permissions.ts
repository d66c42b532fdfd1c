import type { RoleName, Session } from '../api/contracts';

/** Least first, as the server ranks them (server/auth/policy.ts): each role may do what the ones before it may. */
const RANK: Readonly<Record<RoleName, number>> = { viewer: 1, operator: 2, admin: 3 };

const PLURAL: Readonly<Record<RoleName, string>> = { viewer: 'Viewers', operator: 'Operators', admin: 'Admins' };

/** Whether the signed-in person may do something, and if not, why — said next to the button they cannot use. */
export type Permit = { allowed: true; reason: undefined } | { allowed: false; reason: string };

/** Whether `role` is at least `needs`. */
export function meets(role: RoleName, needs: RoleName): boolean {
  return RANK[role] >= RANK[needs];
}

/**
 * Whether this person's role is enough for an action needing `needs`: "Viewers can't acknowledge alerts — ask an
 * operator". Nobody known yet (a screen drawn outside the sign-in, as in component tests) is let through: the
 * server decides anyway, and its refusal is shown with its message.
 */
export function permit(session: Pick<Session, 'role'> | undefined, needs: RoleName, what: string): Permit {
  if (session === undefined || meets(session.role, needs)) return { allowed: true, reason: undefined };
  return { allowed: false, reason: `${PLURAL[session.role]} can't ${what} — ask ${needs === 'viewer' ? 'a' : 'an'} ${needs}` };
}
