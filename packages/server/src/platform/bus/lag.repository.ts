import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface GroupLag {
  readonly topic: string;
  readonly group: string;
  /** Committed events the group has not finished: not yet fanned out, pending or running. */
  readonly pending: number;
  /** Age of the oldest of those events in seconds, or 0 when there is none. */
  readonly oldestAgeSeconds: number;
}

interface LagRow {
  readonly group_name: string;
  readonly topic: string;
  readonly pending: number;
  readonly oldest_age_seconds: number;
}

/**
 * Measures, for each named group, the committed events it has yet to finish. Events of
 * transactions still open are not counted, and dead deliveries are not pending either.
 */
export async function measureLag(
  db: Kysely<Database>,
  groups: readonly string[],
): Promise<readonly GroupLag[]> {
  if (groups.length === 0) return [];

  const result = await sql<LagRow>`
    SELECT c.group_name, c.topic,
      unfanned.count + unfinished.count AS pending,
      COALESCE(
        extract(epoch FROM now() - LEAST(unfanned.oldest, unfinished.oldest))::float8, 0
      ) AS oldest_age_seconds
    FROM bus_cursors AS c
    CROSS JOIN LATERAL (
      SELECT count(*) AS count, min(e.created_at) AS oldest
      FROM outbox_events AS e
      WHERE e.topic = c.topic AND (e.tx_id, e.seq) > (c.last_tx_id, c.last_seq)
    ) AS unfanned
    CROSS JOIN LATERAL (
      SELECT count(*) AS count, min(e.created_at) AS oldest
      FROM bus_deliveries AS d JOIN outbox_events AS e ON e.id = d.event_id
      WHERE d.group_name = c.group_name AND d.status IN ('pending', 'running')
    ) AS unfinished
    WHERE c.group_name IN (${sql.join(groups)})
    ORDER BY c.group_name
  `.execute(db);

  return result.rows.map((row) => ({
    topic: row.topic,
    group: row.group_name,
    pending: Number(row.pending),
    oldestAgeSeconds: Math.max(0, Number(row.oldest_age_seconds)),
  }));
}
