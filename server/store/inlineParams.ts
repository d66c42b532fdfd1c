/**
 * Typed query parameters written into the query as typed literals, `{p0:String}` → `CAST('value', 'String')`:
 * what a ClickHouse server does with the parameters of an HTTP query, done before the query reaches the embedded
 * engine. chDB's Node binding runs every query that carries parameters one at a time across the whole process
 * (one query's binding must not see another's), so a costly parameterised query made every other one wait, on
 * any connection; the same query without parameters runs beside the others (measured: a 5 ms query waited
 * ~900 ms behind a 1 s one, and took 4–9 ms once inlined).
 *
 * Values come only from the `sql` template's typed parameters (server/store/sql.ts) and are written as literals
 * the engine parses back to exactly the value: strings are single-quoted with every backslash, quote and control
 * character escaped, numbers must be finite, arrays hold only such values, and each is cast to its declared type,
 * so a value can never end its literal. The query is scanned once: text put in is never read as a placeholder.
 */

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):([^{}]+)\}/g;

const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\0': '\\0', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A single-quoted ClickHouse string literal holding exactly `text`. */
export function stringLiteral(text: string): string {
  return `'${text.replace(/[\\'\0\b\f\n\r\t]/g, (c) => ESCAPES[c]!)}'`;
}

/** A ClickHouse literal for one parameter value: a string, finite number, boolean, or an array of those. */
export function valueLiteral(value: unknown): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`query parameter ${value} is not a finite number`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(valueLiteral).join(', ')}]`;
  throw new TypeError(`query parameter of type ${value === null ? 'null' : typeof value} cannot be written as a literal`);
}

/** `query` with each `{name:Type}` of `params` replaced by `CAST(<literal>, '<Type>')`; other text untouched. */
export function inlineParams(query: string, params: Readonly<Record<string, unknown>> | undefined): string {
  if (params === undefined || Object.keys(params).length === 0) return query;
  return query.replace(PLACEHOLDER, (placeholder, name: string, type: string) => {
    if (!Object.hasOwn(params, name)) return placeholder;
    return `CAST(${valueLiteral(params[name])}, ${stringLiteral(type.trim())})`;
  });
}
