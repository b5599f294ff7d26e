import type { TemplateDefinition } from '@avior/contract';
import type { Selectable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { TemplatesTable } from '../../platform/db/schema.ts';

export type TemplateRow = Omit<Selectable<TemplatesTable>, 'definition'> & {
  readonly definition: TemplateDefinition;
};

export class TemplatesRepository {
  constructor(private readonly db: Db) {}

  async list(orgId: string): Promise<Omit<TemplateRow, 'definition'>[]> {
    return this.db
      .selectFrom('templates')
      .select(['id', 'org_id', 'key', 'version', 'title', 'question_count', 'created_at'])
      .where('org_id', '=', orgId)
      .orderBy('key')
      .orderBy('version', 'desc')
      .execute();
  }

  async find(orgId: string, id: string): Promise<TemplateRow | undefined> {
    const row = await this.db
      .selectFrom('templates')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row as TemplateRow | undefined;
  }

  async latestVersion(orgId: string, key: string): Promise<number> {
    const row = await this.db
      .selectFrom('templates')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('org_id', '=', orgId)
      .where('key', '=', key)
      .executeTakeFirst();
    return Number(row?.version ?? 0);
  }

  async insert(row: Omit<TemplateRow, 'created_at'>): Promise<void> {
    await this.db
      .insertInto('templates')
      .values({ ...row, definition: JSON.stringify(row.definition) })
      .execute();
  }
}

export function countQuestions(definition: TemplateDefinition): number {
  return definition.sections.reduce((sum, section) => sum + section.questions.length, 0);
}
