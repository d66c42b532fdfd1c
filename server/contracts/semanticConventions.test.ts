import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalEventSchema, RETAIL_ATTRIBUTES, RETAIL_KEY_ATTRIBUTE_PREFIX } from './canonicalEvent.js';

const doc = readFileSync(new URL('../../docs/semantic-conventions.md', import.meta.url), 'utf8');

describe('docs/semantic-conventions.md', () => {
  it('documents every attribute name the OTLP mapping reads', () => {
    for (const attribute of Object.values(RETAIL_ATTRIBUTES)) expect(doc).toContain(`\`${attribute}\``);
    expect(doc).toContain(`\`${RETAIL_KEY_ATTRIBUTE_PREFIX}<name>\``);
  });

  it('documents every field of the canonical event', () => {
    for (const field of Object.keys(canonicalEventSchema.shape)) expect(doc).toContain(`\`${field}`);
  });

  it('maps only fields the canonical event has', () => {
    const fields = Object.keys(canonicalEventSchema.shape);
    for (const field of Object.keys(RETAIL_ATTRIBUTES)) expect(fields).toContain(field);
  });
});
