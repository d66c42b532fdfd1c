import type { Attributes } from '@opentelemetry/api';
import { RETAIL_ATTRIBUTES, RETAIL_KEY_ATTRIBUTE_PREFIX } from '../../contracts/canonicalEvent.js';
import type { SimEvent } from '../model.js';

/**
 * A simulated step as `retail.*` span attributes (docs/semantic-conventions.md): what an instrumented
 * middleware puts on its spans. `occurred_at` is the span's start time, so it is not repeated; money goes as
 * text so every digit survives; the payload as JSON text.
 */
export function retailAttributes(event: Omit<SimEvent, 'occurred_at'>): Attributes {
  const attributes: Attributes = {};
  for (const [field, value] of Object.entries(event)) {
    if (value === undefined || field === 'keys') continue;
    const name = RETAIL_ATTRIBUTES[field];
    if (!name) continue;
    attributes[name] = field === 'payload' ? JSON.stringify(value) : (value as string | number);
  }
  for (const [key, value] of Object.entries(event.keys ?? {})) attributes[`${RETAIL_KEY_ATTRIBUTE_PREFIX}${key}`] = value;
  return attributes;
}
