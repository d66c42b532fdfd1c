/**
 * The shape of a retail trading week in the estate's time zone: stores trade 08:00–20:00 Monday to Saturday
 * (closed on Sundays, as German law has it), online and marketplace orders run round the clock with an
 * evening peak and a small-hours trough, warehouses work two shifts. Each curve averages 1 over the week, so
 * a rate asked for is the week's mean.
 */
export type TrafficFamily = 'store' | 'online' | 'warehouse';

const STORE_HOURS = [0, 0, 0, 0, 0, 0, 0, 0, 0.6, 0.9, 1.1, 1.3, 1.5, 1.4, 1.2, 1.3, 1.5, 1.8, 1.8, 1.4, 0, 0, 0, 0];
const ONLINE_HOURS = [0.5, 0.3, 0.2, 0.15, 0.15, 0.2, 0.35, 0.6, 0.8, 0.9, 1, 1.1, 1.2, 1.1, 1, 1, 1.1, 1.2, 1.4, 1.7, 1.9, 1.8, 1.4, 0.9];
const WAREHOUSE_HOURS = Array.from({ length: 24 }, (_, h) => (h >= 6 && h < 22 ? 1 : 0.1));

type Curve = (weekday: number, hour: number) => number;
const CURVES: Record<TrafficFamily, Curve> = {
  store: (weekday, hour) => (weekday === 0 ? 0 : STORE_HOURS[hour]!),
  online: (weekday, hour) => ONLINE_HOURS[hour]! * (weekday === 0 || weekday === 6 ? 1.15 : 1),
  warehouse: (weekday, hour) => (weekday === 0 ? 0.1 : WAREHOUSE_HOURS[hour]!),
};
const WEEK_MEAN = Object.fromEntries(
  Object.entries(CURVES).map(([family, curve]) => {
    let sum = 0;
    for (let d = 0; d < 7; d++) for (let h = 0; h < 24; h++) sum += curve(d, h);
    return [family, sum / (7 * 24)];
  }),
) as Record<TrafficFamily, number>;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Local weekday (0 = Sunday) and hour of an instant in a time zone, cached per hour (the planner asks every second). */
export function localHour(timeZone: string): (t: number) => { weekday: number; hour: number } {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
  const cache = new Map<number, { weekday: number; hour: number }>();
  return (t) => {
    const key = Math.floor(t / 3_600_000);
    let found = cache.get(key);
    if (!found) {
      const parts = format.formatToParts(t);
      found = { weekday: WEEKDAYS.indexOf(parts.find((p) => p.type === 'weekday')!.value), hour: Number(parts.find((p) => p.type === 'hour')!.value) };
      if (cache.size > 1_000) cache.clear();
      cache.set(key, found);
    }
    return found;
  };
}

/** Traffic of each family at `t` relative to its weekly mean (0 when the stores are closed). */
export function tradingDay(timeZone: string): (family: TrafficFamily, t: number) => number {
  const local = localHour(timeZone);
  return (family, t) => {
    const { weekday, hour } = local(t);
    return CURVES[family](weekday, hour) / WEEK_MEAN[family];
  };
}
