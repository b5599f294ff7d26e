import type { Readable } from 'node:stream';
import type { CreateUploadBody, MediaView, UploadTicketView } from '@avior/contract';
import type { Principal } from '../../gateway/auth.ts';
import { BlobTooLargeError, type BlobStore } from '../../platform/blobs/blob-store.ts';
import { appendEvent } from '../../platform/bus/outbox.repository.ts';
import type { MediaRow, NewMedia } from '../../platform/db/schema.ts';
import { AppError, invalidState, notFound } from '../../platform/errors/error-catalogue.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../../platform/platform.ts';
import { originalKey, parseOriginalKey, type OriginalRef } from './media.keys.ts';
import {
  acceptedImageType,
  assertMayAddPhotos,
  assertPhotoQuestion,
  assertWithinUploadLimit,
  mayReadSurvey,
  type SurveyAccess,
} from './media.policy.ts';
import type { Executor, MediaRepository } from './media.repository.ts';
import { toMediaView } from './media.view.ts';

export interface MediaServiceDependencies {
  readonly repository: MediaRepository;
  readonly blobs: BlobStore;
  readonly signUrl: Platform['signUrl'];
  readonly uploadFailures: Platform['metrics']['uploadFailures'];
  readonly notifyCommitted: () => void;
  readonly maxUploadBytes: number;
}

/** A file part of a multipart upload, not read yet. */
export interface IncomingPhoto {
  readonly fileName: string;
  readonly contentType: string;
  readonly questionId: string | undefined;
  readonly stream: Readable;
  /** Whether the multipart parser cut the file at its size limit. */
  wasTruncated(): boolean;
}

/** Permission carried by a signed upload link whose signature was checked. */
export interface UploadGrant {
  readonly key: string;
  readonly maxBytes: number | undefined;
}

// A survey row deleted since the upload started counts as closed too.
const CLOSED_STATUSES: ReadonlySet<string> = new Set(['submitted', 'reviewed', 'deleted']);

/** Upload of photos and the views of them. Processing is MediaWorker's. */
export class MediaService {
  constructor(private readonly deps: MediaServiceDependencies) {}

  /**
   * Records an awaited upload and returns a signed link that accepts its bytes, so the photo
   * never travels through the API's JSON parser.
   */
  async createUploadTicket(
    principal: Principal,
    surveyId: string,
    body: CreateUploadBody,
  ): Promise<UploadTicketView> {
    const survey = await this.authoriseUpload(principal, surveyId);
    const declaredType = acceptedImageType(body.contentType);
    assertWithinUploadLimit(body.byteSize, this.deps.maxUploadBytes);
    if (body.questionId) assertPhotoQuestion(survey.definition, body.questionId);

    const ref = { orgId: principal.orgId, surveyId, mediaId: newId() };
    const maxBytes = Math.min(body.byteSize, this.deps.maxUploadBytes);
    const row = await this.deps.repository.insert({
      ...newMediaRow(principal, ref, body.fileName, declaredType, body.questionId),
      status: 'awaiting_upload',
      max_bytes: maxBytes,
    });

    const link = this.deps.signUrl({ operation: 'put', key: row.blob_key, maxBytes });
    const upload = { method: 'PUT' as const, url: link.url, expiresAt: link.expiresAt, maxBytes };
    return { media: this.view(row), upload };
  }

  /**
   * Stores the body sent to a signed upload link and emits media.uploaded. The link's
   * signature is the only authority, so the media row is found from the signed key.
   */
  async receiveSignedUpload(
    grant: UploadGrant,
    body: Readable,
    contentLength: number | undefined,
  ): Promise<MediaView> {
    const media = await this.findAwaitedUpload(grant.key);
    const maxBytes = Math.min(grant.maxBytes ?? media.max_bytes, media.max_bytes);
    if (contentLength !== undefined && contentLength > maxBytes) throw this.tooLarge(maxBytes);

    const byteSize = await this.storeOriginal(media.blob_key, body, maxBytes);
    const row = await this.commitUpload(media, (trx) =>
      this.deps.repository.markUploaded(trx, media.org_id, media.id, byteSize),
    );
    return this.view(row);
  }

  /**
   * Checks that `principal` may add photos to the survey. Routes call it before reading a
   * multipart body, so a rejected request stores nothing.
   */
  async authoriseUpload(principal: Principal, surveyId: string): Promise<SurveyAccess> {
    const survey = await this.deps.repository.getSurveyAccess(principal.orgId, surveyId);
    if (!survey) throw notFound('Survey', surveyId);

    assertMayAddPhotos(principal, survey);
    return survey;
  }

  /** Streams a multipart file part into the blob store and emits media.uploaded. */
  async receiveMultipartUpload(
    principal: Principal,
    survey: SurveyAccess,
    photo: IncomingPhoto,
  ): Promise<MediaView> {
    const declaredType = acceptedImageType(photo.contentType);
    if (photo.questionId) assertPhotoQuestion(survey.definition, photo.questionId);

    const ref = { orgId: principal.orgId, surveyId: survey.id, mediaId: newId() };
    const key = originalKey(ref);
    const byteSize = await this.storeOriginal(key, photo.stream, this.deps.maxUploadBytes);
    if (photo.wasTruncated()) {
      await this.deps.blobs.delete(key);
      throw this.tooLarge(this.deps.maxUploadBytes);
    }

    const media: NewMedia = {
      ...newMediaRow(principal, ref, photo.fileName, declaredType, photo.questionId),
      status: 'uploaded',
      max_bytes: this.deps.maxUploadBytes,
      byte_size: byteSize,
      uploaded_at: new Date(),
    };
    const row = await this.commitUpload(media, (trx) =>
      this.deps.repository.insert(media, trx),
    ).catch(async (error: unknown) => {
      await this.deps.blobs.delete(key);
      throw error;
    });
    return this.view(row);
  }

  async getMedia(principal: Principal, mediaId: string): Promise<MediaView> {
    const media = await this.deps.repository.find(principal.orgId, mediaId);
    const survey =
      media && (await this.deps.repository.getSurveyAccess(principal.orgId, media.survey_id));
    if (!media || !survey || !mayReadSurvey(principal, survey)) throw notFound('Media', mediaId);

    return this.view(media);
  }

  async listSurveyMedia(principal: Principal, surveyId: string): Promise<MediaView[]> {
    const survey = await this.deps.repository.getSurveyAccess(principal.orgId, surveyId);
    if (!survey || !mayReadSurvey(principal, survey)) throw notFound('Survey', surveyId);

    const rows = await this.deps.repository.listForSurvey(principal.orgId, surveyId);
    return rows.map((row) => this.view(row));
  }

  private async findAwaitedUpload(key: string): Promise<MediaRow> {
    const ref = parseOriginalKey(key);
    const media = ref && (await this.deps.repository.find(ref.orgId, ref.mediaId));
    if (!ref || !media || media.blob_key !== key) throw notFound('Upload', key);
    if (media.status !== 'awaiting_upload') {
      throw invalidState(
        'Media',
        media.id,
        media.status,
        'its file was already received. Request a new upload link to send another photo',
      );
    }

    return media;
  }

  private async storeOriginal(key: string, body: Readable, maxBytes: number): Promise<number> {
    try {
      return await this.deps.blobs.putStream(key, body, maxBytes);
    } catch (error) {
      if (error instanceof BlobTooLargeError) throw this.tooLarge(maxBytes);
      throw error;
    }
  }

  /**
   * Writes the uploaded state and media.uploaded in one transaction. The survey row is share
   * locked first, and a survey submitted while the bytes streamed rejects the photo. A report
   * therefore never misses a photo that arrived during its submission.
   */
  private async commitUpload(
    media: Pick<MediaRow, 'id' | 'org_id' | 'survey_id' | 'blob_key'>,
    write: (trx: Executor) => Promise<MediaRow | undefined>,
  ): Promise<MediaRow> {
    const { id, org_id: orgId, survey_id: surveyId } = media;
    const committed = await this.deps.repository.transaction(async (trx) => {
      const status =
        (await this.deps.repository.lockSurveyStatus(trx, orgId, surveyId)) ?? 'deleted';
      if (CLOSED_STATUSES.has(status)) return { stored: false, status } as const;

      const row = await write(trx);
      if (!row) throw invalidState('Media', id, 'uploaded', 'its file was already received');

      await appendEvent(trx, {
        topic: 'media.uploaded',
        orgId,
        payload: { mediaId: id, surveyId },
      });
      return { stored: true, row } as const;
    });

    if (!committed.stored) {
      await this.deps.blobs.delete(media.blob_key);
      throw invalidState(
        'Survey',
        surveyId,
        committed.status,
        'photos cannot be added after submission',
      );
    }
    this.deps.notifyCommitted();
    return committed.row;
  }

  private tooLarge(limit: number): AppError {
    this.deps.uploadFailures.inc({ reason: 'too_large' });
    return new AppError('PAYLOAD_TOO_LARGE', { limit });
  }

  private view(row: MediaRow): MediaView {
    return toMediaView(row, (key, fileName) =>
      this.deps.signUrl({ operation: 'get', key, fileName }),
    );
  }
}

function newMediaRow(
  principal: Principal,
  ref: OriginalRef,
  fileName: string,
  declaredType: string,
  questionId: string | undefined,
): Omit<NewMedia, 'status' | 'max_bytes'> {
  return {
    id: ref.mediaId,
    org_id: ref.orgId,
    survey_id: ref.surveyId,
    question_id: questionId ?? null,
    uploaded_by: principal.userId,
    file_name: fileName,
    declared_type: declaredType,
    blob_key: originalKey(ref),
  };
}
