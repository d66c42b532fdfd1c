import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigTable } from './configDoc.js';

describe('docs/configuration.md', () => {
  it('lists every setting with its default and meaning (regenerate: npm run docs:config)', () => {
    const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(doc).toContain(renderConfigTable());
  });
});
