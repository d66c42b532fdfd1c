import { Router } from 'express';
import { auditFilterOf, auditQuerySchema } from '../../auth/auditQuery.js';
import type { AuditService } from '../../services/auditService.js';
import { badParameter, parseQuery } from '../queryParams.js';

/**
 * `GET /api/v1/audit`: the audit trail, newest first, filtered by time, actor, action, target and result (the
 * policy lets admins only). The answer echoes the range read, so a screen can say what it shows.
 */
export function auditRoutes(audit: Pick<AuditService, 'list'>): Router {
  const router = Router();
  router.get('/api/v1/audit', async (req, res) => {
    const query = parseQuery(auditQuerySchema, req.query);
    const checked = auditFilterOf(query, Date.now());
    if (!checked.ok) throw badParameter(checked.field, checked.message);
    const page = await audit.list(checked.filter);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ...page, from: checked.filter.from, to: checked.filter.to });
  });
  return router;
}
