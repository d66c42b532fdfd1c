/**
 * Whether a failed insert is worth retrying. Connection trouble and ClickHouse's transient codes are; any other
 * ClickHouse error (bad data, type mismatch, unknown column) fails the same way every time. An error without a
 * code is treated as transient: it did not come from a query the engine rejected.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

// TIMEOUT_EXCEEDED 159, TOO_MANY_SIMULTANEOUS_QUERIES 202, SOCKET_TIMEOUT 209, NETWORK_ERROR 210,
// MEMORY_LIMIT_EXCEEDED 241, TOO_MANY_PARTS 252, TABLE_IS_READ_ONLY 242, ALL_CONNECTION_TRIES_FAILED 279,
// KEEPER_EXCEPTION 999.
const TRANSIENT_CLICKHOUSE_CODES = new Set(['159', '202', '209', '210', '241', '242', '252', '279', '999']);

export function isRetryableStoreError(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || code === '') return true;
  if (NETWORK_CODES.has(code)) return true;
  if (/^\d+$/.test(code)) return TRANSIENT_CLICKHOUSE_CODES.has(code);
  return /timeout|socket hang up/i.test(error.message);
}
