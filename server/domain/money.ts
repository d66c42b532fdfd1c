/**
 * Money as exact integers. Amounts are stored as Decimal(18, 4) and travel as decimal text; arithmetic on them
 * is done in ten-thousandths (`units`, the store's scale) as bigint, so sums of many lines never drift the way
 * floats do, and a sub-cent amount is not rounded away before it is compared.
 */

/** Fraction digits of a unit: the store's Decimal(18, 4). */
export const MONEY_SCALE = 4;
const UNITS_PER_ONE = 10n ** BigInt(MONEY_SCALE);
const DECIMAL = /^([+-])?(\d{1,18})(?:\.(\d{1,4}))?$/;

/** Currencies whose minor unit is not the cent (ISO 4217): none at all, or a thousandth. */
const MINOR_DIGITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

/** Digits of the currency's minor unit: 2 for EUR (cents), 0 for JPY, 3 for KWD; 2 when the currency is unknown. */
export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency.toUpperCase()] ?? 2;
}

/** Decimal text (`-12.5`, `0`, `1234.5678`) as units; a RangeError for anything else or more than four decimals. */
export function toUnits(text: string): bigint {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`"${text}" is not a decimal amount with at most ${MONEY_SCALE} decimals`);
  const [, sign, integer = '0', fraction = ''] = match;
  const units = BigInt(integer) * UNITS_PER_ONE + BigInt(fraction.padEnd(MONEY_SCALE, '0'));
  return sign === '-' ? -units : units;
}

/** A count of the currency's minor units (cents for EUR) as units. */
export function minorToUnits(minor: number, currency: string): bigint {
  if (!Number.isInteger(minor)) throw new RangeError(`${minor} is not a whole number of minor units`);
  return BigInt(minor) * 10n ** BigInt(MONEY_SCALE - minorDigits(currency));
}

/** Units as decimal text with the currency's minor digits (`12.50` EUR, `1200` JPY), more only when needed. */
export function formatUnits(units: bigint, currency: string): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const digits = minorDigits(currency);
  let fraction = (abs % UNITS_PER_ONE).toString().padStart(MONEY_SCALE, '0');
  while (fraction.length > digits && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const text = `${abs / UNITS_PER_ONE}${fraction === '' ? '' : `.${fraction}`}`;
  return negative ? `-${text}` : text;
}

export function sumUnits(amounts: readonly bigint[]): bigint {
  return amounts.reduce((sum, a) => sum + a, 0n);
}

export function absUnits(units: bigint): bigint {
  return units < 0n ? -units : units;
}
