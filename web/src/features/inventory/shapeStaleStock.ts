import type { StaleStock } from '../../api/contracts';
import { formatDuration } from '../../format/duration';
import { formatQuantity } from '../../format/number';
import { targetLabel } from '../overview/shapeOverview';

export type StaleRow = {
  key: string;
  sku: string;
  location: string;
  channel: string;
  channelLabel: string;
  staleMs: number;
  /** "12/h", "0.5/h". */
  soldPerHour: string;
  /** "≈ 3 units", "none yet". */
  risk: string;
  /** How the row reads at a glance: bad when a unit or more is likely oversold, warn when some is. */
  tone: 'ok' | 'warn' | 'bad';
};

export type StaleView = { rows: StaleRow[]; threshold: string; lookback: string };

/** Stale SKU-locations, riskiest first as the server ranks them, with figures as people say them. */
export function shapeStaleStock(data: StaleStock, locale?: string): StaleView {
  return {
    threshold: formatDuration(data.threshold_ms),
    lookback: describeLookback(data.lookback_ms),
    rows: data.rows.map((r) => ({
      key: `${r.sku}|${r.location_id}|${r.channel}`,
      sku: r.sku,
      location: r.location_id,
      channel: r.channel,
      channelLabel: targetLabel(r.channel),
      staleMs: r.stale_ms,
      soldPerHour: `${formatQuantity(roundTo(r.units_sold_per_hour, 1), locale)}/h`,
      risk: describeRisk(r.oversell_risk_units, locale),
      tone: r.oversell_risk_units >= 1 ? 'bad' : r.oversell_risk_units > 0 ? 'warn' : 'ok',
    })),
  };
}

/** The period sales are counted over: "24 hours", "2 hours", else a duration ("3 d"). */
export function describeLookback(ms: number): string {
  const hours = ms / 3_600_000;
  if (Number.isInteger(hours) && hours <= 48) return hours === 1 ? 'hour' : `${hours} hours`;
  return formatDuration(ms);
}

/** Units likely sold meanwhile that the channel may not have: an estimate, so one decimal at most. */
export function describeRisk(units: number, locale?: string): string {
  if (units <= 0) return 'none yet';
  if (units < 0.1) return '< 0.1 units';
  const rounded = roundTo(units, 1);
  return `≈ ${formatQuantity(rounded, locale)} ${rounded === 1 ? 'unit' : 'units'}`;
}

function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
