/** Locale-aware number formatting. `locale` defaults to the browser's; tests pass one to be deterministic. */

export function formatCount(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** Quantities can be fractional (kilograms, metres); three decimals is as far as stock systems go. */
export function formatQuantity(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(value);
}

/** Events per second: whole numbers stay whole, small rates keep one decimal ("0.4/s", "12/s", "1.2K/s"). */
export function formatRate(perSecond: number, locale?: string): string {
  const options: Intl.NumberFormatOptions =
    perSecond >= 10_000 ? { notation: 'compact', maximumFractionDigits: 1 } : { maximumFractionDigits: perSecond < 10 ? 1 : 0 };
  return `${new Intl.NumberFormat(locale, options).format(perSecond)}/s`;
}

/**
 * A money amount as sent (a decimal string, up to 4 fraction digits) in its ISO 4217 currency.
 * Never rounds away digits the sender gave: finance compares these to the ledger to the cent and beyond.
 */
export function formatMoney(amount: string, currency: string, locale?: string): string {
  const decimal = amount.trim();
  if (!/^-?\d+(\.\d+)?$/.test(decimal)) return `${amount} ${currency}`;
  const givenDigits = decimal.split('.')[1]?.length ?? 0;
  try {
    const currencyDigits = new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: currencyDigits,
      maximumFractionDigits: Math.max(currencyDigits, givenDigits),
    }).format(decimal as Intl.StringNumericLiteral);
  } catch {
    // A malformed currency code still shows the exact amount rather than nothing.
    return `${decimal} ${currency}`;
  }
}
