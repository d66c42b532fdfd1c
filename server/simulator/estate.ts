import { createRng, type Rng } from './random.js';

/**
 * The simulated retailer: 300 stores in six markets, two distribution centres, an ecommerce storefront, two
 * marketplaces, ≈ 50k SKUs whose sales follow a long tail (a few hundred SKUs make most of the volume, as in
 * real assortments). Built from the seed, so the same seed gives the same estate.
 */
export type Store = { id: string; region: string; weight: number };
export type Estate = {
  stores: readonly Store[];
  warehouses: readonly { id: string; region: string }[];
  /** Where every stock change must become visible: the storefront and the marketplaces. */
  channels: readonly string[];
  marketplaces: readonly string[];
  currency: string;
  skuCount: number;
  /** A SKU drawn with long-tail popularity. */
  pickSku(rng: Rng): string;
  /** A store drawn by its share of footfall. */
  pickStore(rng: Rng): Store;
  unitPrice(sku: string): string;
};

export const STORE_COUNT = 300;
export const SKU_COUNT = 50_000;
const REGIONS = ['DE', 'AT', 'NL', 'BE', 'FR', 'PL'] as const;

export function createEstate(seed: string | number): Estate {
  const rng = createRng(`${seed}/estate`);
  const stores = Array.from({ length: STORE_COUNT }, (_, i) => ({
    id: `store-${String(i + 1).padStart(3, '0')}`,
    // Home market first: 120 German stores, 36 in each other market.
    region: i < 120 ? 'DE' : REGIONS[1 + ((i - 120) % (REGIONS.length - 1))]!,
    // The first ten are city flagships; the rest vary widely, as small-town and mall stores do.
    weight: rng.logNormal(i < 10 ? 6 : 1, 0.6),
  }));
  const cumulative: number[] = [];
  let total = 0;
  for (const store of stores) cumulative.push((total += store.weight));
  const prices = new Map<string, string>();
  return {
    stores,
    warehouses: [
      { id: 'dc-berlin', region: 'DE' },
      { id: 'dc-venlo', region: 'NL' },
    ],
    channels: ['shopify', 'amazon', 'zalando'],
    marketplaces: ['amazon', 'zalando'],
    currency: 'EUR',
    skuCount: SKU_COUNT,
    pickSku: (r) => skuName(Math.floor(SKU_COUNT * r.next() ** 3)),
    pickStore: (r) => {
      const target = r.next() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! < target) lo = mid + 1;
        else hi = mid;
      }
      return stores[lo]!;
    },
    unitPrice: (sku) => {
      let price = prices.get(sku);
      if (!price) {
        price = (4.99 + Math.floor(createRng(sku).next() * 240) + 0.9).toFixed(2);
        prices.set(sku, price);
      }
      return price;
    },
  };
}

function skuName(index: number): string {
  return `SKU-${100000 + index}`;
}
