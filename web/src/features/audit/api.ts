import { getJson } from '../../api/client';
import { auditPageSchema, type AuditPageAnswer } from '../../api/contracts';

/** Every page of one trail (filters over a resolved window) under one key; the offset is the page's param. */
export function auditKey(search: string) {
  return ['audit', search] as const;
}

/** `GET /api/v1/audit?…`: a page of the trail, newest first, and whether older entries follow. Admins only. */
export function fetchAuditPage(search: URLSearchParams, signal?: AbortSignal): Promise<AuditPageAnswer> {
  return getJson(`/api/v1/audit?${search}`, auditPageSchema, signal);
}
