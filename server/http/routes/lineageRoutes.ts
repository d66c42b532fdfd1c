import { createHash } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { EVIDENCE_FORMATS } from '../../domain/lineageEvidence.js';
import { LINEAGE_LIMITS, type LineageService } from '../../services/lineageService.js';
import { parseQuery } from '../queryParams.js';

const lineageQuery = z.object({
  key: z
    .string({ error: 'key is required: a business key value (order id, refund id, …) or a correlation id' })
    .trim()
    .min(1, 'key must not be empty')
    .max(256, 'key must be at most 256 characters'),
  depth: z.coerce
    .number()
    .int('depth must be a whole number')
    .min(0, 'depth must be 0 or more')
    .max(LINEAGE_LIMITS.maxDepth, `depth must be at most ${LINEAGE_LIMITS.maxDepth}`)
    .default(LINEAGE_LIMITS.defaultDepth),
});

const exportQuery = lineageQuery.extend({
  format: z.enum(EVIDENCE_FORMATS, { error: `format must be ${EVIDENCE_FORMATS.join(' or ')}` }).default('json'),
});

/** Lineage under /api/v1/lineage, described in docs/openapi.yaml. */
export function lineageRoutes(service: LineageService): Router {
  const router = Router();
  router.get('/api/v1/lineage', async (req, res) => {
    const { key, depth } = parseQuery(lineageQuery, req.query);
    res.json(await service.lineage(key, depth));
  });
  router.get('/api/v1/lineage/export', async (req, res) => {
    const { key, depth, format } = parseQuery(exportQuery, req.query);
    const file = await service.exportLineage(key, depth, format);
    const body = Buffer.from(file.body, 'utf8');
    res
      .status(200)
      .set({
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename="${file.filename}"`,
        // RFC 9530: the digest of the bytes sent, so the saved file can be checked against what was served.
        'Repr-Digest': `sha-256=:${createHash('sha256').update(body).digest('base64')}:`,
        'Cache-Control': 'no-store',
      })
      .send(body);
  });
  return router;
}
