import type { ClickHouseClient } from '@clickhouse/client';
import type { Sql } from './sql.js';

/** Run a parameterised query and return its rows. The only way store code reads from ClickHouse. */
export async function queryRows<T>(client: ClickHouseClient, statement: Sql): Promise<T[]> {
  const { query, query_params } = statement.render();
  const result = await client.query({ query, query_params, format: 'JSONEachRow' });
  return result.json<T>();
}
