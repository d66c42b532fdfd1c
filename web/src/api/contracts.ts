/**
 * The API contract the server builds its answers with (server/contracts/api.ts): the web app parses with the same
 * zod schemas, so the two cannot drift apart. Imported relatively in this one place so that Vite, tsc, vitest and
 * eslint all resolve it without extra configuration.
 */
export { LIVE_EVENTS, apiErrorSchema, lineageResponseSchema, throughputSchema } from '../../../server/contracts/api';
export type { LineageCorrelation, LineageResponse, StoredEvent, Throughput } from '../../../server/contracts/api';
export type { EventStatus } from '../../../server/contracts/canonicalEvent';
