import {
  ACCEPTED_IMAGE_TYPES,
  REQUIRED_UPLOAD_METADATA,
  RESUMABLE_UPLOAD_PATH,
  TUS_VERSION,
} from '@avior/contract';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Metadata } from '@tus/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../gateway/app-types.ts';
import { authenticate } from '../../gateway/auth.ts';
import { AppError } from '../../platform/errors/error-catalogue.ts';
import type { ResumableUploads } from './media.tus.ts';
import {
  parseMetadataHeader,
  readUploadDeclaration,
  readUploadLength,
} from './media.tus-metadata.ts';
import type { StoredUpload } from './media.tus-store.ts';
import type { ResumableUploadService } from './resumable-upload.service.ts';

export interface ResumableUploadRoutesOptions {
  readonly uploads: ResumableUploads;
  readonly service: ResumableUploadService;
  readonly maxUploadBytes: number;
}

/** The content type tus requires on PATCH (tus 1.0.0, core protocol). */
const OFFSET_STREAM = 'application/offset+octet-stream';
const WHOLE_NUMBER = /^\d+$/;
const UploadParams = Type.Object({ id: Type.String() });
type UploadRequest = FastifyRequest<{ Params: { id: string } }>;

const CREATION_DESCRIPTION = `tus 1.0.0 creation (creation-with-upload optional). Send Tus-Resumable: ${TUS_VERSION}, Upload-Length and Upload-Metadata with ${REQUIRED_UPLOAD_METADATA.join(', ')} (optional: questionId, capturedAt, latitude, longitude). filetype is one of ${ACCEPTED_IMAGE_TYPES.join(', ')}. The Location header names the upload.`;

function assertTusVersion(request: FastifyRequest, reply: FastifyReply): void {
  const received = request.headers['tus-resumable'];
  if (received === TUS_VERSION) return;

  reply.header('Tus-Version', TUS_VERSION);
  throw new AppError('TUS_VERSION_UNSUPPORTED', {
    received: typeof received === 'string' ? received : '(none)',
    supported: TUS_VERSION,
  });
}

function assertPatchHeaders(request: FastifyRequest): void {
  const contentType = request.headers['content-type'];
  if (contentType?.split(';')[0]?.trim().toLowerCase() !== OFFSET_STREAM) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
      contentType: contentType ?? '(none)',
      expected: `a PATCH of a resumable upload sends Content-Type: ${OFFSET_STREAM}`,
      field: 'headers.content-type',
    });
  }

  const offset = request.headers['upload-offset'];
  if (typeof offset !== 'string' || !WHOLE_NUMBER.test(offset)) {
    const problem =
      offset === undefined
        ? 'is required: send the offset that HEAD returned'
        : 'must be a whole number of bytes';
    throw new AppError('VALIDATION_FAILED', {
      summary: `headers.upload-offset ${problem}`,
      problems: [{ field: 'headers.upload-offset', problem }],
    });
  }
}

function completeHeaders(upload: StoredUpload): Record<string, string> {
  const size = String(upload.size);
  const headers: Record<string, string> = {
    'Upload-Offset': size,
    'Upload-Length': size,
    'Cache-Control': 'no-store',
  };
  if (Object.keys(upload.metadata).length > 0) {
    headers['Upload-Metadata'] = Metadata.stringify(upload.metadata);
  }
  return headers;
}

/**
 * Registers the tus endpoint for photos at /v1/uploads: POST creates an upload, HEAD reports
 * its offset, PATCH appends bytes, DELETE ends it, OPTIONS lists the extensions. Every request
 * but OPTIONS needs an access token, and an upload is visible only to the user who created it.
 */
export async function registerResumableUploadRoutes(
  app: App,
  options: ResumableUploadRoutesOptions,
): Promise<void> {
  const { uploads, service, maxUploadBytes } = options;
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    // @tus/server reads each body from the raw request, so no parser may consume it first.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    // tus 1.0.0: Tus-Resumable is in every response but OPTIONS, the API's own errors included.
    scope.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'OPTIONS') reply.header('Tus-Resumable', TUS_VERSION);
    });

    scope.post(
      RESUMABLE_UPLOAD_PATH,
      {
        onRequest: authenticate,
        schema: {
          tags: ['media'],
          summary: 'Create a resumable photo upload (tus)',
          description: CREATION_DESCRIPTION,
        },
      },
      async (request, reply) => {
        assertTusVersion(request, reply);
        readUploadLength(request.headers, maxUploadBytes);
        const metadata = parseMetadataHeader(request.headers['upload-metadata']);
        await service.authoriseCreation(request.principal, readUploadDeclaration(metadata));
        await uploads.handle(request, reply);
      },
    );

    scope.route({
      method: 'HEAD',
      url: `${RESUMABLE_UPLOAD_PATH}/:id`,
      onRequest: authenticate,
      schema: {
        tags: ['media'],
        summary: 'Offset of a resumable upload: resume with PATCH from Upload-Offset',
        params: UploadParams,
      },
      handler: async (request: UploadRequest, reply) => {
        assertTusVersion(request, reply);
        const upload = await uploads.findOwned(request.principal, request.params.id);
        if (!uploads.isComplete(upload)) return uploads.handle(request, reply);

        await uploads.finishStored(request, upload);
        return reply.status(200).headers(completeHeaders(upload)).send();
      },
    });

    scope.patch(
      `${RESUMABLE_UPLOAD_PATH}/:id`,
      {
        onRequest: authenticate,
        schema: {
          tags: ['media'],
          summary: 'Append bytes to a resumable upload at Upload-Offset',
          params: UploadParams,
        },
      },
      async (request, reply) => {
        assertTusVersion(request, reply);
        assertPatchHeaders(request);
        await uploads.findOwned(request.principal, request.params.id);
        await uploads.handle(request, reply);
      },
    );

    scope.delete(
      `${RESUMABLE_UPLOAD_PATH}/:id`,
      {
        onRequest: authenticate,
        schema: {
          tags: ['media'],
          summary: 'End a resumable upload and delete its bytes (tus termination)',
          params: UploadParams,
        },
      },
      async (request, reply) => {
        assertTusVersion(request, reply);
        await uploads.findOwned(request.principal, request.params.id);
        await uploads.handle(request, reply);
      },
    );

    const discovery = {
      schema: { tags: ['media'], summary: 'tus version, extensions and maximum size' },
    };
    scope.options(RESUMABLE_UPLOAD_PATH, discovery, (request, reply) =>
      uploads.handle(request, reply),
    );
    scope.options(`${RESUMABLE_UPLOAD_PATH}/:id`, discovery, (request, reply) =>
      uploads.handle(request, reply),
    );
  });
}
