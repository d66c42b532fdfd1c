import { describe, expect, it } from 'vitest';
import { describeDepth, inventoryHref, notFoundAdvice, parseDepth, parseSkuLocation, searchKey } from './searchHints';

describe('parseSkuLocation', () => {
  it('reads a SKU at a location written as SKU@location', () => {
    expect(parseSkuLocation('TR-42-BLK@store-001')).toEqual({ sku: 'TR-42-BLK', location: 'store-001' });
    expect(parseSkuLocation(' TR-42-BLK @ WH-1 ')).toEqual({ sku: 'TR-42-BLK', location: 'WH-1' });
  });

  it('leaves every other key alone', () => {
    expect(parseSkuLocation('re_3Sim1')).toBeUndefined();
    expect(parseSkuLocation('a@b@c')).toBeUndefined();
    expect(parseSkuLocation('@store-001')).toBeUndefined();
  });
});

describe('searchKey', () => {
  it('sends a SKU at a location without the spaces around the @, and any other key trimmed', () => {
    expect(searchKey(' TR-42-BLK @ WH-1 ')).toBe('TR-42-BLK@WH-1');
    expect(searchKey('  #1001 ')).toBe('#1001');
    expect(searchKey('a @ b @ c')).toBe('a @ b @ c');
  });
});

describe('inventoryHref', () => {
  it('links to the inventory screen filtered to the SKU and location', () => {
    expect(inventoryHref({ sku: 'TR-42-BLK', location: 'store-001' })).toBe('?view=inventory&sku=TR-42-BLK&location=store-001');
  });
});

describe('notFoundAdvice', () => {
  it('suggests the # of a Shopify order name for a bare order number', () => {
    expect(notFoundAdvice('1002')[0]).toBe('Shopify order names start with #: try #1002.');
  });

  it('always says keys match exactly and to try another key of the transaction', () => {
    const advice = notFoundAdvice('re_404');
    expect(advice).toContain('Keys match exactly, including case and prefixes such as re_, pi_ or #.');
    expect(advice.some((line) => line.includes('order id'))).toBe(true);
    expect(advice.some((line) => line.startsWith('Shopify'))).toBe(false);
  });

  it('spots a key pasted with its quotes', () => {
    expect(notFoundAdvice('"re_1"')[0]).toBe('Leave out quotes and spaces around the key.');
  });
});

describe('describeDepth', () => {
  it('says how far the search follows linked keys', () => {
    expect(describeDepth(0)).toBe('the key alone');
    expect(describeDepth(1)).toBe('1 hop of linked keys');
    expect(describeDepth(3)).toBe('3 hops of linked keys');
  });
});

describe('parseDepth', () => {
  it('takes a whole number of hops from 0 to 6 from the link', () => {
    expect(parseDepth('0', 3)).toEqual({ depth: 0 });
    expect(parseDepth('6', 3)).toEqual({ depth: 6 });
    expect(parseDepth('', 3)).toEqual({ depth: 3 });
  });

  it('falls back to the default for anything else and says why', () => {
    expect(parseDepth('9', 3)).toEqual({ depth: 3, problem: 'The link\'s depth “9” is not a whole number from 0 to 6; following 3 hops of linked keys.' });
    expect(parseDepth('two', 2).depth).toBe(2);
  });
});
