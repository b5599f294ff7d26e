import type { NotificationKind } from '@avior/contract';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Database, NotificationsTable } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';

// An id that is not a UUID would make PostgreSQL reject the whole query, and retrying the event
// cannot fix it, so such ids are dropped like ids of unknown users.
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type NotificationRow = Selectable<NotificationsTable>;

/** What a notification says, the same for every recipient. */
export interface NotificationContent {
  readonly kind: NotificationKind;
  readonly title: string;
  readonly body: string;
  readonly data: Readonly<Record<string, string | number | null>>;
}

/** The facts of a survey that its assignment notification shows. */
export interface SurveyAssignment {
  readonly surveyId: string;
  readonly facilityId: string;
  readonly facilityName: string;
  /** Calendar date as YYYY-MM-DD. */
  readonly dueDate: string | null;
}

/** The facts of a finished report that its notification shows. */
export interface ReadyReport {
  readonly reportId: string;
  readonly surveyId: string;
  readonly inspectorId: string;
  readonly facilityName: string;
  readonly pageCount: number | null;
}

export interface NotificationListOptions {
  readonly unreadOnly: boolean;
  readonly limit: number;
}

/** Stores notifications for one recipient each and reads a user's own. */
export class NotificationsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Inserts one notification per user of `orgId` among `userIds`, keyed on `(eventId, userId)`,
   * and returns only the rows this call inserted. Ids of other organisations' users are dropped.
   */
  async insertForEvent(
    eventId: string,
    orgId: string,
    userIds: readonly string[],
    content: NotificationContent,
  ): Promise<NotificationRow[]> {
    const recipients = await this.listUserIdsOfOrg(orgId, userIds);
    if (recipients.length === 0) {
      return [];
    }

    const rows = recipients.map((userId) => ({
      id: newId(),
      org_id: orgId,
      user_id: userId,
      event_id: eventId,
      kind: content.kind,
      title: content.title,
      body: content.body,
      data: JSON.stringify(content.data),
      read_at: null,
    }));
    return this.db
      .insertInto('notifications')
      .values(rows)
      .onConflict((conflict) => conflict.columns(['event_id', 'user_id']).doNothing())
      .returningAll()
      .execute();
  }

  listForUser(
    orgId: string,
    userId: string,
    options: NotificationListOptions,
  ): Promise<NotificationRow[]> {
    let query = this.db
      .selectFrom('notifications')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId);
    if (options.unreadOnly) {
      query = query.where('read_at', 'is', null);
    }

    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  }

  async countUnread(orgId: string, userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();

    return Number(row.count);
  }

  /**
   * Marks a user's own notification read and keeps the first read time. Returns undefined when
   * the notification is not the user's.
   */
  markRead(orgId: string, userId: string, id: string): Promise<NotificationRow | undefined> {
    return this.db
      .updateTable('notifications')
      .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.fn<Date>('now', [])) }))
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  getSurveyAssignment(orgId: string, surveyId: string): Promise<SurveyAssignment | undefined> {
    return this.db
      .selectFrom('surveys')
      .innerJoin('facilities', 'facilities.id', 'surveys.facility_id')
      .select([
        'surveys.id as surveyId',
        'facilities.id as facilityId',
        'facilities.name as facilityName',
        sql<string | null>`to_char(surveys.due_date, 'YYYY-MM-DD')`.as('dueDate'),
      ])
      .where('surveys.org_id', '=', orgId)
      .where('surveys.id', '=', surveyId)
      .executeTakeFirst();
  }

  getReadyReport(orgId: string, reportId: string): Promise<ReadyReport | undefined> {
    return this.db
      .selectFrom('reports')
      .innerJoin('surveys', 'surveys.id', 'reports.survey_id')
      .innerJoin('facilities', 'facilities.id', 'surveys.facility_id')
      .select([
        'reports.id as reportId',
        'surveys.id as surveyId',
        'surveys.inspector_id as inspectorId',
        'facilities.name as facilityName',
        'reports.page_count as pageCount',
      ])
      .where('reports.org_id', '=', orgId)
      .where('reports.id', '=', reportId)
      .executeTakeFirst();
  }

  private async listUserIdsOfOrg(orgId: string, userIds: readonly string[]): Promise<string[]> {
    const unique = [...new Set(userIds)].filter((id) => UUID_PATTERN.test(id));
    if (unique.length === 0) {
      return [];
    }

    const rows = await this.db
      .selectFrom('users')
      .select('id')
      .where('org_id', '=', orgId)
      .where('id', 'in', unique)
      .execute();
    return rows.map((row) => row.id);
  }
}

/** Returns the ids of the managers and admins of an organisation. */
export async function listManagerIds(db: Kysely<Database>, orgId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('role', 'in', ['manager', 'admin'])
    .orderBy('id')
    .execute();

  return rows.map((row) => row.id);
}
