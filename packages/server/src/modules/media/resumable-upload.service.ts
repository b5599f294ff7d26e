import type { Readable } from 'node:stream';
import type { Principal } from '../../gateway/auth.ts';
import { BlobTooLargeError, type BlobStore } from '../../platform/blobs/blob-store.ts';
import { appendEvent } from '../../platform/bus/outbox.repository.ts';
import type { MediaRow, NewMedia } from '../../platform/db/schema.ts';
import { AppError, invalidState } from '../../platform/errors/error-catalogue.ts';
import { toStoredDeclaration } from './media.declared.ts';
import { originalKey } from './media.keys.ts';
import { assertPhotoQuestion, surveyAcceptsPhotos } from './media.policy.ts';
import type { Executor, MediaRepository } from './media.repository.ts';
import type { MediaService } from './media.service.ts';
import type { UploadDeclaration } from './media.tus-metadata.ts';
import type { UploadOwner } from './media.tus-store.ts';

/** The partial files of resumable uploads, as far as finishing one needs them. */
export interface UploadFiles {
  open(uploadId: string): Readable;
  discard(uploadId: string): Promise<void>;
}

export interface ResumableUploadDependencies {
  readonly repository: MediaRepository;
  readonly blobs: BlobStore;
  readonly files: UploadFiles;
  readonly media: Pick<MediaService, 'authoriseUpload'>;
  readonly notifyCommitted: () => void;
}

/** A resumable upload whose last byte arrived. */
export interface CompletedUpload {
  readonly uploadId: string;
  readonly owner: UploadOwner;
  readonly declaration: UploadDeclaration;
  readonly byteSize: number;
}

/** `stored` when this call recorded the photo, `already_stored` when an earlier one had. */
export type FinishOutcome = 'stored' | 'already_stored';

type Commit =
  | { readonly kind: 'stored'; readonly row: MediaRow }
  | { readonly kind: 'taken'; readonly existing: MediaRow | undefined }
  | { readonly kind: 'closed'; readonly status: string };

/**
 * Resumable (tus) uploads of photos: who may start one, and what happens when its last byte
 * arrives. The photo then takes the same path as a multipart upload: its original goes to the
 * blob store, its row is recorded as uploaded and media.uploaded is emitted.
 */
export class ResumableUploadService {
  constructor(private readonly deps: ResumableUploadDependencies) {}

  /**
   * Checks a new upload before any byte is stored. A mediaId whose photo the same user already
   * uploaded to the same survey raises MEDIA_ALREADY_UPLOADED, even once the survey is
   * submitted, so a device retrying after a lost response learns the photo is safe.
   */
  async authoriseCreation(principal: Principal, declaration: UploadDeclaration): Promise<void> {
    const existing = await this.deps.repository.findByIdInAnyOrg(declaration.mediaId);
    const owner = { orgId: principal.orgId, userId: principal.userId };
    if (existing && isSamePhoto(existing, owner, declaration)) throw alreadyUploaded(existing);

    const survey = await this.deps.media.authoriseUpload(principal, declaration.surveyId);
    if (declaration.questionId) assertPhotoQuestion(survey.definition, declaration.questionId);
    if (existing) throw idConflict(declaration.mediaId);
  }

  /**
   * Moves a completed upload's bytes into the blob store as the photo's original and records
   * it, all or nothing. Safe to call twice for one upload, or for two uploads of one mediaId:
   * the second call finds the row and returns `already_stored`. When the photo can never be
   * stored, the partial files are deleted before the error is raised. When it is stored, the
   * caller deletes them once the response is written, because @tus/server still reads them.
   */
  async finish(upload: CompletedUpload): Promise<FinishOutcome> {
    const { mediaId } = upload.declaration;
    const existing = await this.deps.repository.findByIdInAnyOrg(mediaId);
    if (existing) return this.settleTakenId(upload, existing, undefined);

    const media = newMediaRow(upload);
    await this.storeOriginal(upload, media.blob_key);
    const commit = await this.commit(media).catch(async (error: unknown) => {
      await this.deleteUnclaimedOriginal(media);
      throw error;
    });

    if (commit.kind === 'taken') return this.settleTakenId(upload, commit.existing, media.blob_key);
    if (commit.kind === 'closed') {
      await this.deps.blobs.delete(media.blob_key);
      await this.deps.files.discard(upload.uploadId);
      const reason = 'photos cannot be added after submission';
      throw invalidState('Survey', media.survey_id, commit.status, reason);
    }

    this.deps.notifyCommitted();
    return 'stored';
  }

  private async storeOriginal(upload: CompletedUpload, key: string): Promise<void> {
    let stored: number;
    try {
      stored = await this.deps.blobs.putStream(
        key,
        this.deps.files.open(upload.uploadId),
        upload.byteSize,
      );
    } catch (error) {
      if (error instanceof BlobTooLargeError) throw new Error(tooLongMessage(upload));
      throw error;
    }
    if (stored !== upload.byteSize) {
      await this.deps.blobs.delete(key);
      throw new Error(
        `resumable upload ${upload.uploadId} contains ${stored} bytes, expected ${upload.byteSize}`,
      );
    }
  }

  /**
   * Records the uploaded photo and media.uploaded in one transaction, with the survey row share
   * locked as the other upload paths do, so a survey submitted meanwhile rejects the photo.
   */
  private commit(media: NewMedia): Promise<Commit> {
    const { repository } = this.deps;
    return repository.transaction(async (trx): Promise<Commit> => {
      const status = await repository.lockSurveyStatus(trx, media.org_id, media.survey_id);
      if (!status || !surveyAcceptsPhotos(status)) {
        // A photo recorded by an earlier finish counts as stored, whatever the survey is now.
        const existing = await repository.findByIdInAnyOrg(media.id, trx);
        return existing
          ? { kind: 'taken', existing }
          : { kind: 'closed', status: status ?? 'deleted' };
      }

      const row = await repository.insertUnlessIdTaken(trx, media);
      if (!row) {
        return { kind: 'taken', existing: await repository.findByIdInAnyOrg(media.id, trx) };
      }

      await appendUploaded(trx, row);
      return { kind: 'stored', row };
    });
  }

  /**
   * Ends an upload whose mediaId already has a row: done when it is this user's photo of this
   * survey, otherwise MEDIA_ID_CONFLICT. An original written under another key is deleted.
   */
  private async settleTakenId(
    upload: CompletedUpload,
    existing: MediaRow | undefined,
    writtenKey: string | undefined,
  ): Promise<FinishOutcome> {
    const same = existing !== undefined && isSamePhoto(existing, upload.owner, upload.declaration);
    // NOTE: two users of one survey finishing uploads of the same mediaId at the same moment
    // write the same key, so the second original may replace the first one's bytes.
    if (writtenKey !== undefined && existing?.blob_key !== writtenKey) {
      await this.deps.blobs.delete(writtenKey);
    }
    if (same) return 'already_stored';

    await this.deps.files.discard(upload.uploadId);
    throw idConflict(upload.declaration.mediaId);
  }

  /**
   * After a failed commit, deletes the original unless a row already points at its key. When
   * the database cannot say, the original stays: a retried finish writes the same key again.
   */
  private async deleteUnclaimedOriginal(media: NewMedia): Promise<void> {
    let claimedKey: string | undefined;
    try {
      claimedKey = (await this.deps.repository.findByIdInAnyOrg(media.id))?.blob_key;
    } catch {
      return;
    }
    if (claimedKey !== media.blob_key) await this.deps.blobs.delete(media.blob_key);
  }
}

function isSamePhoto(
  row: MediaRow,
  owner: UploadOwner,
  declaration: Pick<UploadDeclaration, 'surveyId'>,
): boolean {
  return (
    row.org_id === owner.orgId &&
    row.uploaded_by === owner.userId &&
    row.survey_id === declaration.surveyId &&
    row.status !== 'awaiting_upload'
  );
}

function alreadyUploaded(row: MediaRow): AppError {
  return new AppError('MEDIA_ALREADY_UPLOADED', {
    mediaId: row.id,
    surveyId: row.survey_id,
    status: row.status,
  });
}

function idConflict(mediaId: string): AppError {
  return new AppError('MEDIA_ID_CONFLICT', { mediaId, field: 'metadata.mediaId' });
}

function tooLongMessage(upload: CompletedUpload): string {
  return `resumable upload ${upload.uploadId} contains more than its ${upload.byteSize} bytes`;
}

function appendUploaded(trx: Executor, row: MediaRow): Promise<unknown> {
  return appendEvent(trx, {
    topic: 'media.uploaded',
    orgId: row.org_id,
    payload: { mediaId: row.id, surveyId: row.survey_id },
  });
}

function newMediaRow(upload: CompletedUpload): NewMedia {
  const { owner, declaration, byteSize } = upload;
  const ref = { orgId: owner.orgId, surveyId: declaration.surveyId, mediaId: declaration.mediaId };
  const declared = toStoredDeclaration(declaration.capture);
  return {
    id: declaration.mediaId,
    org_id: owner.orgId,
    survey_id: declaration.surveyId,
    question_id: declaration.questionId ?? null,
    uploaded_by: owner.userId,
    file_name: declaration.fileName,
    declared_type: declaration.fileType,
    blob_key: originalKey(ref),
    status: 'uploaded',
    max_bytes: byteSize,
    byte_size: byteSize,
    uploaded_at: new Date(),
    metadata: declared === null ? null : JSON.stringify(declared),
  };
}
