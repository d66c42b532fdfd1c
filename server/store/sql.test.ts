import { describe, expect, it } from 'vitest';
import { join, param, quoteIdentifier, sql, toClickHouseTime, unsafeRawSql } from './sql.js';

const UTC_DATETIME64 = "DateTime64(3, 'UTC')";

describe('sql template: inferred parameters', () => {
  it('turns a string into a String parameter', () => {
    const flow = 'order_to_cash';

    const rendered = sql`SELECT 1 WHERE flow = ${flow}`.render();

    expect(rendered).toEqual({ query: 'SELECT 1 WHERE flow = {p0:String}', query_params: { p0: 'order_to_cash' } });
  });

  it('types whole numbers as Int64 and fractions as Float64', () => {
    const rendered = sql`SELECT ${42}, ${-7}, ${2.5}`.render();

    expect(rendered.query).toBe('SELECT {p0:Int64}, {p1:Int64}, {p2:Float64}');
    expect(rendered.query_params).toEqual({ p0: 42, p1: -7, p2: 2.5 });
  });

  it('types a bigint as Int64 sent as its decimal text, so no precision is lost', () => {
    const rendered = sql`SELECT ${9007199254740993n}`.render();

    expect(rendered.query).toBe('SELECT {p0:Int64}');
    expect(rendered.query_params).toEqual({ p0: '9007199254740993' });
  });

  it('types booleans as Bool', () => {
    const rendered = sql`SELECT ${true}, ${false}`.render();

    expect(rendered.query).toBe('SELECT {p0:Bool}, {p1:Bool}');
    expect(rendered.query_params).toEqual({ p0: true, p1: false });
  });

  it("types a Date as DateTime64(3, 'UTC') and sends it as UTC text with milliseconds", () => {
    const rendered = sql`SELECT ${new Date('2026-11-27T12:34:56.789+02:00')}`.render();

    expect(rendered.query).toBe(`SELECT {p0:${UTC_DATETIME64}}`);
    expect(rendered.query_params).toEqual({ p0: '2026-11-27 10:34:56.789' });
  });

  it('types an array of strings as Array(String)', () => {
    const rendered = sql`SELECT * WHERE id IN ${['a', 'b']}`.render();

    expect(rendered.query).toBe('SELECT * WHERE id IN {p0:Array(String)}');
    expect(rendered.query_params).toEqual({ p0: ['a', 'b'] });
  });

  it('numbers parameters p0, p1, … in the order they appear', () => {
    const rendered = sql`a=${'x'} b=${1} c=${'y'}`.render();

    expect(rendered.query).toBe('a={p0:String} b={p1:Int64} c={p2:String}');
    expect(Object.keys(rendered.query_params)).toEqual(['p0', 'p1', 'p2']);
  });

  it('renders a template without values unchanged and without parameters', () => {
    expect(sql`SELECT 1`.render()).toEqual({ query: 'SELECT 1', query_params: {} });
  });

  it('gives the same answer when rendered twice', () => {
    const fragment = sql`x = ${'a'} AND y = ${2}`;

    expect(fragment.render()).toEqual(fragment.render());
  });
});

describe('sql template: values it cannot type', () => {
  it('refuses null and points at param.typed()', () => {
    expect(() => sql`SELECT ${null}`.render()).toThrow(/cannot infer a ClickHouse type for null; use param\.typed\(\)/);
  });

  it('refuses undefined', () => {
    expect(() => sql`SELECT ${undefined}`.render()).toThrow(/cannot infer a ClickHouse type for undefined/);
  });

  it('refuses plain objects', () => {
    expect(() => sql`SELECT ${{ a: 1 }}`.render()).toThrow(/cannot infer a ClickHouse type for object/);
  });

  it('refuses arrays that are not all strings', () => {
    expect(() => sql`SELECT ${[1, 2]}`.render()).toThrow(TypeError);
    expect(() => sql`SELECT ${['a', 1]}`.render()).toThrow(/cannot infer a ClickHouse type/);
  });
});

describe('sql template: hostile input', () => {
  it('never puts a string value into the query text, only into query_params', () => {
    const hostile = "x' OR 1=1; DROP TABLE events; -- `{p1:String}`";

    const rendered = sql`SELECT * FROM events WHERE event_id = ${hostile}`.render();

    expect(rendered.query).toBe('SELECT * FROM events WHERE event_id = {p0:String}');
    expect(rendered.query).not.toContain('DROP');
    expect(rendered.query_params).toEqual({ p0: hostile });
  });

  it('keeps hostile strings inside an array parameter too', () => {
    const values = ["a'); DROP TABLE x; --", 'b'];

    const rendered = sql`WHERE id IN ${values}`.render();

    expect(rendered.query).toBe('WHERE id IN {p0:Array(String)}');
    expect(rendered.query_params.p0).toEqual(values);
  });
});

describe('param helpers', () => {
  it('use the type they are named for', () => {
    const rendered = sql`${param.string('s')} ${param.uint32(7)} ${param.int64(-3)} ${param.uint64(5)} ${param.float64(3)} ${param.bool(true)} ${param.arrayString(['q'])}`.render();

    expect(rendered.query).toBe('{p0:String} {p1:UInt32} {p2:Int64} {p3:UInt64} {p4:Float64} {p5:Bool} {p6:Array(String)}');
    expect(rendered.query_params).toEqual({ p0: 's', p1: 7, p2: -3, p3: 5, p4: 3, p5: true, p6: ['q'] });
  });

  it('float64 keeps a whole number typed as Float64 where inference would pick Int64', () => {
    expect(sql`${param.float64(10)}`.render().query).toBe('{p0:Float64}');
    expect(sql`${10}`.render().query).toBe('{p0:Int64}');
  });

  it('uint32 accepts its full range', () => {
    const rendered = sql`${param.uint32(0)} ${param.uint32(2 ** 32 - 1)}`.render();

    expect(rendered.query_params).toEqual({ p0: 0, p1: 4294967295 });
  });

  it('uint32 refuses negatives, values past 2^32-1 and fractions, naming the range', () => {
    expect(() => param.uint32(-1)).toThrow(/expected an integer in \[0, 4294967295\], got -1/);
    expect(() => param.uint32(2 ** 32)).toThrow(/got 4294967296/);
    expect(() => param.uint32(1.5)).toThrow(/got 1\.5/);
    expect(() => param.uint32(Number.NaN)).toThrow(/got NaN/);
  });

  it('int64 and uint64 refuse fractions and unsafe numbers but send bigints as text', () => {
    expect(() => param.int64(0.5)).toThrow(TypeError);
    expect(() => param.int64(2 ** 53)).toThrow(TypeError);
    expect(() => param.uint64(-1)).toThrow(/expected an integer in \[0,/);

    const rendered = sql`${param.int64(-(2n ** 62n))} ${param.uint64(2n ** 64n - 1n)}`.render();

    expect(rendered.query).toBe('{p0:Int64} {p1:UInt64}');
    expect(rendered.query_params).toEqual({ p0: '-4611686018427387904', p1: '18446744073709551615' });
  });

  it("dateTime64 renders epoch milliseconds as 'YYYY-MM-DD hh:mm:ss.sss' in UTC", () => {
    const ms = Date.UTC(2026, 10, 27, 10, 0, 0, 5);

    const rendered = sql`WHERE occurred_at >= ${param.dateTime64(ms)}`.render();

    expect(rendered.query).toBe(`WHERE occurred_at >= {p0:${UTC_DATETIME64}}`);
    expect(rendered.query_params).toEqual({ p0: '2026-11-27 10:00:00.005' });
  });

  it('dateTime64 accepts a Date as well', () => {
    const rendered = sql`${param.dateTime64(new Date(Date.UTC(2000, 0, 1)))}`.render();

    expect(rendered.query_params).toEqual({ p0: '2000-01-01 00:00:00.000' });
  });

  it('arrayString copies the array, so later changes by the caller do not leak in', () => {
    const ids = ['a'];
    const fragment = sql`${param.arrayString(ids)}`;
    ids.push('b');

    expect(fragment.render().query_params).toEqual({ p0: ['a'] });
  });

  it('typed uses the given type verbatim', () => {
    const rendered = sql`${param.typed('Map(String, String)', { k: 'v' })}`.render();

    expect(rendered).toEqual({ query: '{p0:Map(String, String)}', query_params: { p0: { k: 'v' } } });
  });
});

describe('toClickHouseTime', () => {
  it('formats as UTC with milliseconds', () => {
    expect(toClickHouseTime(0)).toBe('1970-01-01 00:00:00.000');
    expect(toClickHouseTime(new Date('2026-01-02T03:04:05.678-05:00'))).toBe('2026-01-02 08:04:05.678');
  });
});

describe('composing fragments', () => {
  it('inlines a nested fragment and numbers all parameters in one sequence', () => {
    const where = sql`flow = ${'order_to_cash'} AND status = ${'failed'}`;

    const rendered = sql`SELECT ${1} FROM events WHERE ${where} LIMIT ${10}`.render();

    expect(rendered.query).toBe('SELECT {p0:Int64} FROM events WHERE flow = {p1:String} AND status = {p2:String} LIMIT {p3:Int64}');
    expect(rendered.query_params).toEqual({ p0: 1, p1: 'order_to_cash', p2: 'failed', p3: 10 });
  });

  it('numbers parameters through several levels of nesting', () => {
    const inner = sql`c = ${'z'}`;
    const middle = sql`b = ${'y'} AND (${inner})`;

    const rendered = sql`a = ${'x'} AND (${middle}) AND d = ${'w'}`.render();

    expect(rendered.query).toBe('a = {p0:String} AND (b = {p1:String} AND (c = {p2:String})) AND d = {p3:String}');
    expect(rendered.query_params).toEqual({ p0: 'x', p1: 'y', p2: 'z', p3: 'w' });
  });

  it('gives each use of a reused fragment its own parameter', () => {
    const cond = sql`x = ${'v'}`;

    const rendered = sql`${cond} OR ${cond}`.render();

    expect(rendered.query).toBe('x = {p0:String} OR x = {p1:String}');
    expect(rendered.query_params).toEqual({ p0: 'v', p1: 'v' });
  });
});

describe('join', () => {
  it('joins fragments with the separator and keeps parameter order', () => {
    const conditions = [sql`flow = ${'a'}`, sql`step = ${'b'}`, sql`status = ${'ok'}`];

    const rendered = sql`WHERE ${join(conditions, ' AND ')}`.render();

    expect(rendered.query).toBe('WHERE flow = {p0:String} AND step = {p1:String} AND status = {p2:String}');
    expect(rendered.query_params).toEqual({ p0: 'a', p1: 'b', p2: 'ok' });
  });

  it('renders a single fragment without any separator', () => {
    expect(join([sql`a = ${1}`], ', ').render()).toEqual({ query: 'a = {p0:Int64}', query_params: { p0: 1 } });
  });

  it('renders nothing for no fragments', () => {
    expect(join([], ', ').render()).toEqual({ query: '', query_params: {} });
  });
});

describe('quoteIdentifier', () => {
  it('back-quotes each part and joins them with dots', () => {
    expect(sql`SELECT * FROM ${quoteIdentifier('flowlens', 'events')}`.render()).toEqual({
      query: 'SELECT * FROM `flowlens`.`events`',
      query_params: {},
    });
    expect(quoteIdentifier('_col9').render().query).toBe('`_col9`');
  });

  it.each(['a`b', 'x; DROP', '', '1abc', 'a.b', 'a b', 'événement'])('refuses %j', (name) => {
    expect(() => quoteIdentifier(name)).toThrow(`not a plain identifier: ${JSON.stringify(name)}`);
  });

  it('refuses the whole name when any one part is bad', () => {
    expect(() => quoteIdentifier('flowlens', 'events`; DROP TABLE x')).toThrow(/not a plain identifier/);
  });
});

describe('unsafeRawSql', () => {
  it('puts its text into the query as-is, without parameters', () => {
    const engine = unsafeRawSql("ENGINE = MergeTree ORDER BY (flow, occurred_at) SETTINGS index_granularity = 8192");

    const rendered = sql`CREATE TABLE t (x Int64) ${engine}`.render();

    expect(rendered).toEqual({
      query: 'CREATE TABLE t (x Int64) ENGINE = MergeTree ORDER BY (flow, occurred_at) SETTINGS index_granularity = 8192',
      query_params: {},
    });
  });

  it('composes with parameters around it', () => {
    const rendered = sql`SELECT ${'a'} ${unsafeRawSql('UNION ALL')} SELECT ${'b'}`.render();

    expect(rendered).toEqual({ query: 'SELECT {p0:String} UNION ALL SELECT {p1:String}', query_params: { p0: 'a', p1: 'b' } });
  });
});
