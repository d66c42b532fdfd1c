import { Router } from 'express';
import type { Config } from '../server/config/config.js';
import type { IngestKey } from '../server/config/settingValues.js';
import { eventsRoute } from './events-api/eventsRoute.js';
import { fileRoutes } from './files/fileRoutes.js';
import type { EventIngestor } from './pipeline/eventIngestor.js';
import { webhookRoutes, type IgnoredDelivery, type WebhookOptions } from './webhooks/webhookRoutes.js';

export type CollectorOptions = {
  /** Ingest keys for the event API and file uploads (webhooks authenticate by signature instead). */
  tokens: readonly (string | IngestKey)[];
  maxBodyBytes: number;
  webhooks: WebhookOptions;
};

/**
 * Every HTTP receiver on the main port: `POST /v1/events`, `POST /v1/files/:kind`, `POST /webhooks/*`.
 * Mounted by the server (embedded mode) and by stand-alone collectors alike.
 */
export function collectorRoutes(ingestor: EventIngestor, options: CollectorOptions): Router {
  const router = Router();
  router.use(eventsRoute(ingestor, options));
  router.use(fileRoutes(ingestor, options));
  router.use(webhookRoutes(ingestor, options.webhooks));
  return router;
}

/** Receiver options from the configuration. */
export function collectorOptionsFrom(config: Config, onIgnored: (delivery: IgnoredDelivery) => void): CollectorOptions {
  return {
    tokens: config.ingestTokens,
    maxBodyBytes: config.ingestMaxBodyBytes,
    webhooks: {
      shopifySecrets: config.shopifyWebhookSecrets,
      stripeSecrets: config.stripeWebhookSecrets,
      standardSecrets: config.standardWebhookSecrets,
      maxBodyBytes: config.webhookMaxBodyBytes,
      toleranceSeconds: config.webhookToleranceSeconds,
      onIgnored,
    },
  };
}
