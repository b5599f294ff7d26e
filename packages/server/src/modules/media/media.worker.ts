import type { Logger } from 'pino';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { HandlerOutcome } from '../../platform/bus/bus.consumer.ts';
import { PermanentError } from '../../platform/bus/bus.errors.ts';
import { appendEvent } from '../../platform/bus/outbox.repository.ts';
import type { MediaRow } from '../../platform/db/schema.ts';
import type { Metrics } from '../../platform/telemetry/metrics.ts';
import { requestReportIfReady } from '../reports/report-requests.ts';
import { ImageRejectedError, type ImageDerivative, type ProcessedImage } from './image/index.ts';
import {
  buildQualityFindings,
  findClosestDuplicate,
  type QualityFinding,
} from './media.findings.ts';
import { mergeDeclaredCapture, readDeclaredCapture } from './media.declared.ts';
import type { PhotoProcessor } from './media.images.ts';
import { derivativeKey } from './media.keys.ts';
import { photoFailedNotification, photoProcessedNotification } from './media.messages.ts';
import type { MediaRepository } from './media.repository.ts';
import type { StoredDerivative } from './media.view.ts';

export interface MediaWorkerDependencies {
  readonly repository: MediaRepository;
  readonly blobs: BlobStore;
  readonly photos: PhotoProcessor;
  readonly uploadFailures: Metrics['uploadFailures'];
  readonly notifyCommitted: () => void;
  /** Photos whose short side is below this many pixels get a too_small finding. */
  readonly minShortSide: number;
}

/** The event being handled, for logs and for the trace context of the events it appends. */
export interface ProcessingContext {
  readonly logger: Logger;
  readonly traceparent: string | null;
  /** 1 on the first run of this event. */
  readonly attempt: number;
  /** Attempts the bus makes before it dead-letters the event. */
  readonly maxAttempts: number;
}

const EXTENSIONS: Readonly<Record<ImageDerivative['format'], string>> = {
  webp: 'webp',
  jpeg: 'jpg',
};

/**
 * Processes one uploaded photo: checks its bytes, writes its derivatives and records the
 * result with its quality findings. Safe to run twice for one photo: a finished photo is
 * skipped and a rerun writes the same blob keys.
 */
export class MediaWorker {
  constructor(private readonly deps: MediaWorkerDependencies) {}

  /**
   * Processes the photo of one media.uploaded event. Returns 'skipped' when the photo is
   * already processed or failed. Bytes that can never be a photo end as a failed media row and
   * 'done', never as a retry. Any other error is raised so that the bus retries the event.
   */
  async process(orgId: string, mediaId: string, ctx: ProcessingContext): Promise<HandlerOutcome> {
    try {
      return await this.processOnce(orgId, mediaId, ctx);
    } catch (error) {
      if (error instanceof PermanentError || ctx.attempt < ctx.maxAttempts) throw error;
      return this.giveUp(orgId, mediaId, error, ctx);
    }
  }

  /**
   * Ends a photo whose every attempt failed (its original unreadable, a worker thread crashing
   * on it) as failed, so its survey's report is not held back for ever. The event still ends
   * 'done'; an operator who fixes the cause uploads the photo again.
   */
  private async giveUp(
    orgId: string,
    mediaId: string,
    error: unknown,
    ctx: ProcessingContext,
  ): Promise<HandlerOutcome> {
    const media = await this.deps.repository.find(orgId, mediaId);
    if (!media || media.status !== 'uploaded') throw error;

    ctx.logger.error(
      { ...logFields(media, {}), err: error, attempt: ctx.attempt },
      `photo processing failed for media ${media.id} on its last attempt`,
    );
    const reason = `The photo could not be processed after ${ctx.attempt} attempts because of a server error. Upload it again.`;
    return this.recordRejection(media, { code: 'processing_failed', message: reason }, ctx);
  }

  private async processOnce(
    orgId: string,
    mediaId: string,
    ctx: ProcessingContext,
  ): Promise<HandlerOutcome> {
    const media = await this.deps.repository.find(orgId, mediaId);
    if (!media) throw new PermanentError(`media ${mediaId} not found in organisation ${orgId}`);
    if (media.status === 'processed' || media.status === 'failed') {
      return skip(media, ctx, `it is already ${media.status}`);
    }
    if (media.status !== 'uploaded') {
      throw new PermanentError(`media ${mediaId} is ${media.status}, not uploaded`);
    }

    const original = await this.deps.blobs.get(media.blob_key);
    const processed = await this.deps.photos.process(original).catch(keepRejection);
    if (processed instanceof ImageRejectedError) return this.recordRejection(media, processed, ctx);

    return this.recordProcessed(media, processed, ctx);
  }

  private async recordRejection(
    media: MediaRow,
    rejection: { readonly code: string; readonly message: string },
    ctx: ProcessingContext,
  ): Promise<HandlerOutcome> {
    const { code, message } = rejection;
    const notification = photoFailedNotification(media, code, message);
    const committed = await this.deps.repository.transaction(async (trx) => {
      if (!(await this.deps.repository.markFailed(trx, media, code, message))) return false;

      await appendEvent(trx, {
        topic: 'notifications.send',
        orgId: media.org_id,
        payload: notification,
        traceparent: ctx.traceparent,
      });
      await requestReportIfReady(trx, media.org_id, media.survey_id);
      return true;
    });
    if (!committed) return skip(media, ctx, 'another worker finished it first');

    this.deps.uploadFailures.inc({ reason: code });
    this.deps.notifyCommitted();
    ctx.logger.info(
      logFields(media, { code }),
      `photo processing rejected for media ${media.id}: ${message}`,
    );
    return 'done';
  }

  private async recordProcessed(
    media: MediaRow,
    processed: ProcessedImage,
    ctx: ProcessingContext,
  ): Promise<HandlerOutcome> {
    const derivatives = await this.storeDerivatives(media, processed.derivatives);
    const findings = await this.assessPhoto(media, processed);
    const columns = {
      detectedFormat: processed.metadata.format,
      metadata: mergeDeclaredCapture(processed.metadata, readDeclaredCapture(media.metadata)),
      derivatives,
      blurhash: processed.blurhash,
      perceptualHash: processed.perceptualHash,
      quality: processed.quality,
    };
    const notification = photoProcessedNotification(media, findings);

    const committed = await this.deps.repository.transaction(async (trx) => {
      if (!(await this.deps.repository.markProcessed(trx, media, columns))) return false;

      await this.deps.repository.replaceQualityFindings(trx, media, findings);
      await appendEvent(trx, {
        topic: 'notifications.send',
        orgId: media.org_id,
        payload: notification,
        traceparent: ctx.traceparent,
      });
      await requestReportIfReady(trx, media.org_id, media.survey_id);
      return true;
    });
    if (!committed) return skip(media, ctx, 'another worker finished it first');

    this.deps.notifyCommitted();
    const codes = findings.map((finding) => finding.code);
    ctx.logger.info(
      logFields(media, { findings: codes }),
      `photo processing done for media ${media.id}`,
    );
    return 'done';
  }

  private async storeDerivatives(
    media: MediaRow,
    derivatives: readonly ImageDerivative[],
  ): Promise<StoredDerivative[]> {
    const ref = { orgId: media.org_id, surveyId: media.survey_id, mediaId: media.id };
    return Promise.all(
      derivatives.map(async (derivative) => {
        const key = derivativeKey(ref, derivative.tier, EXTENSIONS[derivative.format]);
        await this.deps.blobs.put(key, derivative.bytes, derivative.contentType);
        const { tier, contentType, width, height } = derivative;
        return { tier, key, contentType, width, height, bytes: derivative.bytes.length };
      }),
    );
  }

  // NOTE: two near-identical photos processed at the same moment do not see each other, since
  // each compares only with photos already processed, so neither gets a duplicate finding.
  private async assessPhoto(
    media: MediaRow,
    processed: ProcessedImage,
  ): Promise<readonly QualityFinding[]> {
    const others = await this.deps.repository.listHashedPhotos(
      media.org_id,
      media.survey_id,
      media.id,
    );
    return buildQualityFindings({
      quality: processed.quality,
      metadata: processed.metadata,
      minShortSide: this.deps.minShortSide,
      duplicate: findClosestDuplicate(processed.perceptualHash, others),
    });
  }
}

/** Returns a rejection as a value, so that only errors that may pass on a retry are raised. */
function keepRejection(error: unknown): ImageRejectedError {
  if (error instanceof ImageRejectedError) return error;
  throw error;
}

function skip(media: MediaRow, ctx: ProcessingContext, reason: string): HandlerOutcome {
  ctx.logger.info(
    logFields(media, {}),
    `photo processing skipped for media ${media.id}: ${reason}`,
  );
  return 'skipped';
}

function logFields(
  media: MediaRow,
  extra: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return { orgId: media.org_id, surveyId: media.survey_id, mediaId: media.id, ...extra };
}
