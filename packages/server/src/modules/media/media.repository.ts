import type { TemplateDefinition } from '@avior/contract';
import type { Kysely } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Database, MediaRow, NewMedia, SurveyStatus } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import type { HashedPhoto, QualityFinding } from './media.findings.ts';
import type { SurveyAccess } from './media.policy.ts';
import type { StoredDerivative } from './media.view.ts';

export type Executor = Kysely<Database>;

/** Columns the worker stores for a processed photo. */
export interface ProcessedColumns {
  readonly detectedFormat: string;
  readonly metadata: unknown;
  readonly derivatives: readonly StoredDerivative[];
  readonly blurhash: string;
  readonly perceptualHash: string;
  readonly quality: unknown;
}

/** The media row a finding belongs to. */
export type FindingOwner = Pick<MediaRow, 'id' | 'org_id' | 'survey_id' | 'question_id'>;

export class MediaRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (trx: Executor) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Loads a survey with its template definition, for the upload and read checks. */
  async getSurveyAccess(orgId: string, surveyId: string): Promise<SurveyAccess | undefined> {
    const row = await this.db
      .selectFrom('surveys as s')
      .innerJoin('templates as t', 't.id', 's.template_id')
      .select(['s.id', 's.status', 's.inspector_id', 't.definition'])
      .where('s.org_id', '=', orgId)
      .where('s.id', '=', surveyId)
      .executeTakeFirst();
    if (!row) return undefined;

    const definition = row.definition as TemplateDefinition;
    return { id: row.id, status: row.status, inspectorId: row.inspector_id, definition };
  }

  /**
   * Reads a survey's status with a share lock held to the end of the transaction, so a submit
   * that takes the row's update lock waits for the photo being recorded, or the other way round.
   */
  async lockSurveyStatus(
    trx: Executor,
    orgId: string,
    surveyId: string,
  ): Promise<SurveyStatus | undefined> {
    const row = await trx
      .selectFrom('surveys')
      .select('status')
      .where('org_id', '=', orgId)
      .where('id', '=', surveyId)
      .forShare()
      .executeTakeFirst();
    return row?.status;
  }

  insert(media: NewMedia, executor: Executor = this.db): Promise<MediaRow> {
    return executor.insertInto('media').values(media).returningAll().executeTakeFirstOrThrow();
  }

  find(orgId: string, id: string): Promise<MediaRow | undefined> {
    return this.db
      .selectFrom('media')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /**
   * Finds a media row by id in any organisation. A device picks the id of a resumable upload,
   * and ids are unique across organisations, so a taken id must be found wherever it is.
   */
  findByIdInAnyOrg(id: string, executor: Executor = this.db): Promise<MediaRow | undefined> {
    return executor.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Inserts a media row unless its id is taken. Returns undefined when it is; on PostgreSQL a
   * concurrent insert of the same id makes this wait for that transaction to end first.
   */
  insertUnlessIdTaken(trx: Executor, media: NewMedia): Promise<MediaRow | undefined> {
    return trx
      .insertInto('media')
      .values(media)
      .onConflict((conflict) => conflict.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  listForSurvey(orgId: string, surveyId: string): Promise<MediaRow[]> {
    return this.db
      .selectFrom('media')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('survey_id', '=', surveyId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** Marks an awaited upload as received. Returns undefined when it is no longer awaited. */
  markUploaded(
    trx: Executor,
    orgId: string,
    id: string,
    byteSize: number,
  ): Promise<MediaRow | undefined> {
    return trx
      .updateTable('media')
      .set({ status: 'uploaded', byte_size: byteSize, uploaded_at: new Date() })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('status', '=', 'awaiting_upload')
      .returningAll()
      .executeTakeFirst();
  }

  /** Lists the other processed photos of a survey that have a perceptual hash. */
  async listHashedPhotos(
    orgId: string,
    surveyId: string,
    exceptId: string,
  ): Promise<HashedPhoto[]> {
    const rows = await this.db
      .selectFrom('media')
      .select(['id', 'file_name', 'perceptual_hash'])
      .where('org_id', '=', orgId)
      .where('survey_id', '=', surveyId)
      .where('status', '=', 'processed')
      .where('id', '!=', exceptId)
      .where('perceptual_hash', 'is not', null)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      mediaId: row.id,
      fileName: row.file_name,
      perceptualHash: row.perceptual_hash ?? '',
    }));
  }

  /** Records a rejected upload. Returns false when the photo no longer waits for the worker. */
  async markFailed(
    trx: Executor,
    media: FindingOwner,
    code: string,
    reason: string,
  ): Promise<boolean> {
    const updated = await trx
      .updateTable('media')
      .set({
        status: 'failed',
        failure_code: code,
        failure_reason: reason,
        processed_at: new Date(),
      })
      .where('org_id', '=', media.org_id)
      .where('id', '=', media.id)
      .where('status', '=', 'uploaded')
      .returning('id')
      .executeTakeFirst();
    return updated !== undefined;
  }

  /** Records a processed photo. Returns false when it no longer waits for the worker. */
  async markProcessed(
    trx: Executor,
    media: FindingOwner,
    columns: ProcessedColumns,
  ): Promise<boolean> {
    const updated = await trx
      .updateTable('media')
      .set({
        status: 'processed',
        detected_format: columns.detectedFormat,
        metadata: JSON.stringify(columns.metadata),
        derivatives: JSON.stringify(columns.derivatives),
        blurhash: columns.blurhash,
        perceptual_hash: columns.perceptualHash,
        quality: JSON.stringify(columns.quality),
        processed_at: new Date(),
      })
      .where('org_id', '=', media.org_id)
      .where('id', '=', media.id)
      .where('status', '=', 'uploaded')
      .returning('id')
      .executeTakeFirst();
    return updated !== undefined;
  }

  /** Replaces the photo-quality findings of one photo with `findings`. */
  async replaceQualityFindings(
    trx: Executor,
    media: FindingOwner,
    findings: readonly QualityFinding[],
  ): Promise<void> {
    await trx
      .deleteFrom('findings')
      .where('org_id', '=', media.org_id)
      .where('media_id', '=', media.id)
      .where('source', '=', 'photo_quality')
      .execute();
    if (findings.length === 0) return;

    const rows = findings.map((finding) => ({
      id: newId(),
      org_id: media.org_id,
      survey_id: media.survey_id,
      media_id: media.id,
      question_id: media.question_id,
      source: 'photo_quality' as const,
      code: finding.code,
      severity: finding.severity,
      message: finding.message,
      evidence: JSON.stringify(finding.evidence),
    }));
    await trx.insertInto('findings').values(rows).execute();
  }
}
