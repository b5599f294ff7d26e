import { RESUMABLE_UPLOAD_PATH } from '@avior/contract';
import {
  EVENTS,
  Server,
  type CancellationContext,
  type ServerOptions,
  type Upload,
} from '@tus/server';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../gateway/auth.ts';
import type { AppError } from '../../platform/errors/error-catalogue.ts';
import { notFound } from '../../platform/errors/error-catalogue.ts';
import type { Logger } from '../../platform/telemetry/logger.ts';
import { fallbackError, isErrorBody, toCatalogueError, toErrorBody } from './media.tus-errors.ts';
import { readUploadDeclaration } from './media.tus-metadata.ts';
import { PhotoUploadStore, type StoredUpload, type UploadOwner } from './media.tus-store.ts';
import type { FinishOutcome, ResumableUploadService } from './resumable-upload.service.ts';

/** The request type of @tus/server's hooks (srvx's ServerRequest). */
type TusRequest = Parameters<NonNullable<ServerOptions['onUploadCreate']>>[0];

/** Facts the Fastify route learnt about a request, read by the tus hooks that run inside it. */
interface HandOver {
  readonly principal: Principal;
  readonly log: FastifyBaseLogger;
  readonly requestId: string;
}

export interface ResumableUploadsOptions {
  readonly store: PhotoUploadStore;
  readonly service: ResumableUploadService;
  readonly maxUploadBytes: number;
  readonly logger: Logger;
}

/** tus upload ids: @tus/server's default names are 16 random bytes in hex. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const UPLOAD_URL = new RegExp(`${RESUMABLE_UPLOAD_PATH}/([0-9a-f]{32})/?$`);

/**
 * A tus server whose error responses use the API's JSON error body. @tus/server sends every
 * error response through `write`: the errors its handlers throw and the few it writes itself.
 */
class JsonErrorTusServer extends Server {
  override write(
    context: CancellationContext,
    headers: Headers,
    status: number,
    body = '',
  ): ReturnType<Server['write']> {
    if (status < 400) return super.write(context, headers, status, body);

    headers.set('Content-Type', 'application/json; charset=utf-8');
    if (isErrorBody(body)) return super.write(context, headers, status, body);

    const error = fallbackError(status, body);
    return super.write(context, headers, error.status, toErrorBody(error));
  }
}

/**
 * Serves the tus protocol for photos with @tus/server, behind the API's own checks. Fastify
 * routes authenticate and validate each request, then hand the raw request and response to
 * `handle`. The hooks here record who owns an upload and finish it when its last byte arrives.
 */
export class ResumableUploads {
  private readonly handOvers = new WeakMap<object, HandOver>();
  private readonly tus: Server;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ResumableUploadsOptions) {
    this.tus = new JsonErrorTusServer({
      path: RESUMABLE_UPLOAD_PATH,
      datastore: options.store,
      maxSize: options.maxUploadBytes,
      // A relative Location survives proxies and PUBLIC_URL changes; tus clients resolve it.
      relativeLocation: true,
      // The API sends no CORS headers elsewhere, so the upload routes send none either.
      allowedOrigins: () => false,
      getFileIdFromRequest: (request) => uploadIdOf(request.url),
      onUploadCreate: async (request, upload) => ({
        metadata: PhotoUploadStore.withOwner(upload.metadata, this.ownerOf(request)),
      }),
      onUploadFinish: async (request, upload) => {
        await this.finish(this.handOverOf(request), upload);
        return {};
      },
      onResponseError: (request, error) => this.describeError(request, error),
    });
    // @tus/server reads a finished upload once more after the finish hook, so its files are
    // deleted only once the response exists.
    this.tus.on(EVENTS.POST_FINISH, (_request, _response, upload) => {
      void this.discard(upload.id);
    });
  }

  /**
   * Passes a request that the route has authenticated and checked to @tus/server. The reply is
   * hijacked, so @tus/server reads the body from the raw request and writes the raw response.
   */
  async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    this.handOvers.set(request.raw, {
      principal: request.principal,
      log: request.log,
      requestId: request.id,
    });
    reply.hijack();
    reply.raw.setHeader('x-request-id', request.id);
    try {
      await this.tus.handle(request.raw, reply.raw);
    } catch (error) {
      request.log.error({ err: error }, `resumable upload request failed: ${request.url}`);
      reply.raw.destroy();
    }
  }

  /** Returns the upload `id` of `principal`, or raises NOT_FOUND for a missing or foreign one. */
  async findOwned(principal: Principal, id: string): Promise<StoredUpload> {
    const upload = UPLOAD_ID.test(id) ? await this.options.store.find(id) : undefined;
    const owner = upload?.owner;
    if (!upload || owner?.orgId !== principal.orgId || owner.userId !== principal.userId) {
      throw notFound('Upload', id);
    }

    return upload;
  }

  /** Returns whether every byte of an unexpired upload is stored. */
  isComplete(upload: StoredUpload): boolean {
    return upload.offset === upload.size && !this.options.store.isExpired(upload);
  }

  /**
   * Finishes an upload whose bytes all arrived but whose finish failed, for example while the
   * database was down. A client resuming it sends HEAD and takes a HEAD that reports the whole
   * length as success, so the finish must succeed before that response.
   */
  async finishStored(request: FastifyRequest, upload: StoredUpload): Promise<FinishOutcome> {
    const handOver = { principal: request.principal, log: request.log, requestId: request.id };
    const { id, size, metadata } = upload;
    const outcome = await this.finish(handOver, { id, size, metadata });
    await this.discard(id);
    return outcome;
  }

  /**
   * Deletes expired uploads now and then every `intervalMs`. Failures are logged and the next
   * sweep tries again.
   */
  startSweeps(intervalMs: number): void {
    void this.sweep();
    this.sweepTimer = setInterval(() => void this.sweep(), intervalMs);
    this.sweepTimer.unref();
  }

  stopSweeps(): void {
    clearInterval(this.sweepTimer);
  }

  /** Deletes the files of every expired upload; returns how many were deleted. */
  async sweep(): Promise<number> {
    try {
      const deleted = await this.tus.cleanUpExpiredUploads();
      if (deleted > 0) this.options.logger.info({ deleted }, `expired uploads deleted: ${deleted}`);
      return deleted;
    } catch (error) {
      this.options.logger.warn(
        { err: error },
        'expired upload sweep failed; the next sweep retries',
      );
      return 0;
    }
  }

  private async finish(
    handOver: HandOver,
    upload: Pick<Upload, 'id' | 'size' | 'metadata'>,
  ): Promise<FinishOutcome> {
    const declaration = readUploadDeclaration(upload.metadata ?? {});
    const outcome = await this.options.service.finish({
      uploadId: upload.id,
      owner: ownerOf(handOver.principal),
      declaration,
      byteSize: upload.size ?? 0,
    });
    const { mediaId, surveyId } = declaration;
    const fields = { orgId: handOver.principal.orgId, surveyId, mediaId, uploadId: upload.id };
    handOver.log.info({ ...fields, outcome }, `resumable upload finished for media ${mediaId}`);
    return outcome;
  }

  // A failed deletion leaves a complete upload, whose next HEAD finds the photo stored and
  // deletes it again; the expiry sweep removes it otherwise.
  private async discard(uploadId: string): Promise<void> {
    try {
      await this.options.store.discard(uploadId);
    } catch (error) {
      this.options.logger.warn({ err: error, uploadId }, `upload deletion failed for ${uploadId}`);
    }
  }

  private async describeError(
    request: TusRequest,
    error: Error | { status_code: number; body: string },
  ): Promise<{ status_code: number; body: string }> {
    const handOver = this.handOvers.get(request.runtime?.node?.req ?? request);
    const uploadId = uploadIdOf(request.url) ?? '(new)';
    const appError = await toCatalogueError(error, {
      uploadId,
      requestId: handOver?.requestId ?? '(unknown)',
      maxUploadBytes: this.options.maxUploadBytes,
      receivedOffset: request.headers.get('upload-offset'),
      readUpload: () => this.options.store.find(uploadId),
    });
    logRejection(handOver?.log ?? this.options.logger, appError, error);
    return { status_code: appError.status, body: toErrorBody(appError) };
  }

  private handOverOf(request: TusRequest): HandOver {
    const handOver = this.handOvers.get(request.runtime?.node?.req ?? request);
    if (!handOver) throw new Error('a tus request reached a hook without passing an API route');

    return handOver;
  }

  private ownerOf(request: TusRequest): UploadOwner {
    return ownerOf(this.handOverOf(request).principal);
  }
}

function ownerOf(principal: Principal): UploadOwner {
  return { orgId: principal.orgId, userId: principal.userId };
}

function uploadIdOf(url: string): string | undefined {
  return UPLOAD_URL.exec(new URL(url, 'http://localhost').pathname)?.[1];
}

// The same levels as the API's error handler: a client's mistake at info, a fault at error.
function logRejection(log: FastifyBaseLogger | Logger, appError: AppError, cause: unknown): void {
  if (appError.status >= 500) {
    log.error({ err: cause, code: appError.code }, `request failed: ${appError.message}`);
  } else {
    log.info({ code: appError.code }, `request rejected: ${appError.message}`);
  }
}
