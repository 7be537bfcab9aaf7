const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The distinct ids that can be UUIDs, lower-cased as PostgreSQL answers them. A reference
 * with any other id cannot match a row, and filtering it keeps one bad id from failing a
 * whole batch on the uuid cast.
 */
export function queryableUuids(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
}
