import { describe, expect, it } from 'vitest';
import { isRetryableStoreError } from './storeErrors.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isRetryableStoreError', () => {
  it('retries connection trouble and transient ClickHouse errors', () => {
    expect(isRetryableStoreError(withCode('ECONNREFUSED'))).toBe(true);
    expect(isRetryableStoreError(withCode('252', 'Too many parts'))).toBe(true);
    expect(isRetryableStoreError(withCode('241', 'Memory limit exceeded'))).toBe(true);
    expect(isRetryableStoreError(new Error('engine went away'))).toBe(true);
  });

  it('does not retry what the engine refused as wrong', () => {
    expect(isRetryableStoreError(withCode('41', 'Cannot read DateTime'))).toBe(false);
    expect(isRetryableStoreError(withCode('53', 'Type mismatch'))).toBe(false);
    expect(isRetryableStoreError(withCode('60', 'Unknown table'))).toBe(false);
  });
});
