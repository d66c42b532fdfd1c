import { describe, expect, it } from 'vitest';
import type { EventIngestor } from '../pipeline/eventIngestor.js';
import { webhookRoutes } from './webhookRoutes.js';

const options = { shopifySecrets: [], stripeSecrets: [], maxBodyBytes: 1024, toleranceSeconds: 300 };
const unusedIngestor = {} as EventIngestor;

describe('webhookRoutes configuration', () => {
  it('fails at start, naming which Standard Webhooks secret is invalid', () => {
    expect(() => webhookRoutes(unusedIngestor, { ...options, standardSecrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_oops not base64'] })).toThrow(
      /secret #2 is invalid: .*base64/,
    );
  });

  it('builds with no secrets at all (every receiver then answers 503 not_configured)', () => {
    expect(() => webhookRoutes(unusedIngestor, { ...options, standardSecrets: [] })).not.toThrow();
  });
});
