/**
 * The `sql` tagged template: every interpolated value becomes a typed `{pN:Type}` parameter, identifiers come
 * only from the schema map (`ident`), fragments compose, and the one raw escape hatch is loudly named.
 *
 *   sql`SELECT * FROM ${ident(db, 'events')} WHERE flow = ${flow} AND occurred_at >= ${param.dateTime64(from)}`
 *   → { query: 'SELECT * FROM `flowlens`.`events` WHERE flow = {p0:String} AND occurred_at >= {p1:DateTime64(3, \'UTC\')}',
 *       query_params: { p0: 'order_to_cash', p1: '2026-11-27 10:00:00.000' } }
 */

export type Rendered = { query: string; query_params: Record<string, unknown> };

class Param {
  constructor(
    readonly type: string,
    readonly value: unknown,
  ) {}
}

class Raw {
  constructor(readonly text: string) {}
}

export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  render(): Rendered {
    const query_params: Record<string, unknown> = {};
    let n = 0;
    const walk = (fragment: Sql): string => {
      let out = fragment.strings[0] ?? '';
      fragment.values.forEach((value, i) => {
        out += piece(value) + (fragment.strings[i + 1] ?? '');
      });
      return out;
    };
    const piece = (value: unknown): string => {
      if (value instanceof Sql) return walk(value);
      if (value instanceof Raw) return value.text;
      const p = value instanceof Param ? value : inferParam(value);
      const name = `p${n++}`;
      query_params[name] = p.value;
      return `{${name}:${p.type}}`;
    };
    return { query: walk(this), query_params };
  }
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

/** Join fragments with a separator (a plain string, never a value). */
export function join(fragments: readonly Sql[], separator: string): Sql {
  if (fragments.length === 0) return new Sql([''], []);
  const strings = ['', ...fragments.slice(1).map(() => separator), ''];
  return new Sql(strings, fragments);
}

/**
 * Text that goes into the query as-is. Only for SQL the code itself wrote (DDL from migration files,
 * engine clauses); never for anything that came from a request.
 */
export function unsafeRawSql(text: string): Sql {
  return new Sql([''], [new Raw(text)]);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A quoted identifier. Callers pass names from the schema map (server/store/schema.ts), never input. */
export function quoteIdentifier(...parts: string[]): Sql {
  for (const part of parts) {
    if (!IDENTIFIER.test(part)) throw new Error(`not a plain identifier: ${JSON.stringify(part)}`);
  }
  return unsafeRawSql(parts.map((p) => `\`${p}\``).join('.'));
}

let cachedSecond = NaN;
let cachedPrefix = '';

/** Format epoch milliseconds (or a Date) as ClickHouse's DateTime64(3) text, in UTC. */
export function toClickHouseTime(value: number | Date): string {
  const ms = typeof value === 'number' ? value : value.getTime();
  // Ingest formats two times per event and neighbouring events share their second: reuse its prefix.
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const iso = new Date(second * 1000).toISOString();
    if (iso.length !== 24) return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
    cachedSecond = second;
    cachedPrefix = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.`;
  }
  const millis = ms - second * 1000;
  return cachedPrefix + (millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : String(millis));
}

/** Explicitly typed parameters, for when inference would pick the wrong ClickHouse type. */
export const param = {
  string: (v: string) => new Param('String', v),
  uint32: (v: number) => new Param('UInt32', checkInt(v, 0, 2 ** 32 - 1)),
  int64: (v: number | bigint) => new Param('Int64', typeof v === 'bigint' ? v.toString() : checkInt(v)),
  uint64: (v: number | bigint) => new Param('UInt64', typeof v === 'bigint' ? v.toString() : checkInt(v, 0)),
  float64: (v: number) => new Param('Float64', v),
  bool: (v: boolean) => new Param('Bool', v),
  dateTime64: (v: number | Date) => new Param("DateTime64(3, 'UTC')", toClickHouseTime(v)),
  arrayString: (v: readonly string[]) => new Param('Array(String)', [...v]),
  typed: (type: string, v: unknown) => new Param(type, v),
};

function checkInt(v: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new TypeError(`expected an integer in [${min}, ${max}], got ${v}`);
  return v;
}

function inferParam(value: unknown): Param {
  if (typeof value === 'string') return new Param('String', value);
  if (typeof value === 'boolean') return new Param('Bool', value);
  if (typeof value === 'bigint') return new Param('Int64', value.toString());
  if (typeof value === 'number') return Number.isInteger(value) ? new Param('Int64', value) : new Param('Float64', value);
  if (value instanceof Date) return param.dateTime64(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return new Param('Array(String)', value);
  throw new TypeError(`cannot infer a ClickHouse type for ${value === null ? 'null' : typeof value}; use param.typed()`);
}
