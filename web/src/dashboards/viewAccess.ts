import type { DashboardView, PanelKind, RoleName, Session } from '../api/contracts';
import { meets } from '../auth/permissions';

/** Panel kinds that answer only a role above viewer (the server's policy, server/auth/policy.ts, decides). */
export const PANEL_ROLES: Readonly<Partial<Record<PanelKind, RoleName>>> = { auditLog: 'admin' };

/**
 * The views to offer in the menu: those with at least one panel this person's role can read. A view left out
 * still opens from a link, and its panels say whom to ask; nobody known yet sees every view.
 */
export function viewsFor(views: readonly DashboardView[], session: Pick<Session, 'role'> | undefined): DashboardView[] {
  if (session === undefined) return [...views];
  return views.filter((view) => view.panels.some((panel) => meets(session.role, PANEL_ROLES[panel.kind] ?? 'viewer')));
}
