import { describe, expect, it } from 'vitest';
import { checkLedger } from './support/ackLedger.js';

// The durability rule every fault test asserts with, shown to catch what it must catch.
describe('the acknowledged-versus-stored ledger', () => {
  it('passes when every acknowledged id is stored once, whatever else is stored', () => {
    expect(checkLedger(['a', 'b'], ['b', 'a', 'c'])).toMatchObject({ missing: [], duplicated: [], distinct: 3 });
  });

  it('names an acknowledged id that was lost', () => {
    expect(checkLedger(['a', 'b', 'c'], ['a', 'c']).missing).toEqual(['b']);
  });

  it('names an id stored twice, acknowledged or not', () => {
    expect(checkLedger(['a'], ['a', 'a', 'x', 'x']).duplicated).toEqual(['a', 'x']);
  });
});
