import type { Selectable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { FacilitiesTable } from '../../platform/db/schema.ts';

export type FacilityRow = Selectable<FacilitiesTable>;

export class FacilitiesRepository {
  constructor(private readonly db: Db) {}

  list(
    orgId: string,
    query: { q?: string; limit: number; offset: number },
  ): Promise<FacilityRow[]> {
    let select = this.db.selectFrom('facilities').selectAll().where('org_id', '=', orgId);
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      select = select.where((eb) =>
        eb.or([eb('name', 'ilike', pattern), eb('address', 'ilike', pattern)]),
      );
    }
    return select.orderBy('name').orderBy('id').limit(query.limit).offset(query.offset).execute();
  }

  find(orgId: string, id: string): Promise<FacilityRow | undefined> {
    return this.db
      .selectFrom('facilities')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insert(row: Omit<FacilityRow, 'created_at'>): Promise<void> {
    await this.db.insertInto('facilities').values(row).execute();
  }

  update(
    orgId: string,
    id: string,
    changes: Partial<Omit<FacilityRow, 'id' | 'org_id' | 'created_at'>>,
  ): Promise<FacilityRow | undefined> {
    return this.db
      .updateTable('facilities')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }
}
