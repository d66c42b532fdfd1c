import { z } from 'zod';
import { throughputSchema } from './api.js';
import { inventoryLagNowSchema } from './inventoryApi.js';

/** `GET /api/v1/overview`: the peak-period wall in one answer. */

/** `GET /api/v1/overview`: what the peak-period wall shows, in one call. */
export const overviewSchema = z.object({
  at: z.number(),
  throughput: throughputSchema,
  inventory: inventoryLagNowSchema,
  exceptions: z.object({ total: z.number(), by_bucket: z.record(z.string(), z.number()), by_owner: z.record(z.string(), z.record(z.string(), z.number())) }),
  slas: z.object({
    policies: z.number(),
    breaching: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        severity: z.string(),
        owner: z.string(),
        attainment: z.number().nullable(),
        objective: z.number(),
        late: z.number(),
        open_breached: z.number(),
        burn_alerting: z.boolean(),
      }),
    ),
  }),
  freshness: z.array(z.object({ system: z.string(), last_event_at: z.number(), last_received_at: z.number(), seconds_since_last: z.number() })),
});
export type Overview = z.infer<typeof overviewSchema>;
