import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { appendEvent } from '../../platform/bus/outbox.repository.ts';

/**
 * Requests the report of a submitted survey once none of its photos is still being processed.
 * Called from the submit path and after each photo finishes; the unique survey_id of `reports`
 * makes sure only the first caller emits report.generate. Returns the new report id, or null.
 */
export async function requestReportIfReady(
  trx: Kysely<Database>,
  orgId: string,
  surveyId: string,
): Promise<string | null> {
  const survey = await trx
    .selectFrom('surveys')
    .select('status')
    .where('org_id', '=', orgId)
    .where('id', '=', surveyId)
    .executeTakeFirst();
  if (!survey || (survey.status !== 'submitted' && survey.status !== 'reviewed')) return null;

  const processing = await trx
    .selectFrom('media')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('survey_id', '=', surveyId)
    .where('status', '=', 'uploaded')
    .executeTakeFirstOrThrow();
  if (Number(processing.count) > 0) return null;

  const inserted = await trx
    .insertInto('reports')
    .values({
      id: newId(),
      org_id: orgId,
      survey_id: surveyId,
      status: 'pending',
      blob_key: null,
      byte_size: null,
      page_count: null,
      error: null,
      generated_at: null,
    })
    .onConflict((oc) => oc.column('survey_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return null;

  await appendEvent(trx, {
    topic: 'report.generate',
    orgId,
    payload: { reportId: inserted.id, surveyId },
  });
  return inserted.id;
}

/** Sets an existing report back to pending and emits report.generate; no report, no-op. */
export async function requestReportRegeneration(
  trx: Kysely<Database>,
  orgId: string,
  surveyId: string,
): Promise<string | null> {
  const report = await trx
    .updateTable('reports')
    .set({ status: 'pending', error: null, requested_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('survey_id', '=', surveyId)
    .returning('id')
    .executeTakeFirst();
  if (!report) return null;

  await appendEvent(trx, {
    topic: 'report.generate',
    orgId,
    payload: { reportId: report.id, surveyId },
  });
  return report.id;
}
