import {
  ACCEPTED_IMAGE_TYPES,
  CreateUploadBody,
  ErrorBody,
  IdParams,
  MediaEnvelope,
  MediaView,
  SurveyMediaParams,
  UploadTicketView,
} from '@avior/contract';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { App } from '../../gateway/app-types.ts';
import { authenticate } from '../../gateway/auth.ts';
import { AppError } from '../../platform/errors/error-catalogue.ts';
import { readPhotoPart } from './media.multipart.ts';
import type { MediaService } from './media.service.ts';

const readErrors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };
const uploadErrors = {
  ...readErrors,
  403: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  415: ErrorBody,
  422: ErrorBody,
};

function rejectNonMultipart(request: FastifyRequest): never {
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
    contentType: request.headers['content-type'] ?? '(none)',
    expected: 'this route accepts multipart/form-data with a file part named "file"',
  });
}

/** Registers the routes that create uploads and read photos. All of them need an access token. */
export async function registerMediaRoutes(
  app: App,
  media: MediaService,
  maxUploadBytes: number,
): Promise<void> {
  app.post(
    '/v1/surveys/:surveyId/media/uploads',
    {
      onRequest: authenticate,
      schema: {
        tags: ['media'],
        summary: 'Request a signed link to upload one photo',
        description: `Creates a media row awaiting its bytes. PUT the file to upload.url, which needs no access token. Accepted types: ${ACCEPTED_IMAGE_TYPES.join(', ')}.`,
        params: SurveyMediaParams,
        body: CreateUploadBody,
        response: { 201: UploadTicketView, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const ticket = await media.createUploadTicket(
        request.principal,
        request.params.surveyId,
        request.body,
      );
      return reply.status(201).send(ticket);
    },
  );

  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    // Only multipart/form-data reaches the handler. The app-wide parsers read JSON and text,
    // and the handler rejects them, while this parser rejects every other type.
    scope.addContentTypeParser('*', (request, _payload, done) => {
      try {
        rejectNonMultipart(request);
      } catch (error) {
        done(error as Error);
      }
    });
    scope.post(
      '/v1/surveys/:surveyId/media',
      {
        onRequest: authenticate,
        schema: {
          tags: ['media'],
          summary: 'Upload one photo as multipart/form-data',
          description: 'Send an optional field questionId first, then the file part named "file".',
          consumes: ['multipart/form-data'],
          params: SurveyMediaParams,
          response: { 201: MediaEnvelope, ...uploadErrors },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) rejectNonMultipart(request);

        const survey = await media.authoriseUpload(request.principal, request.params.surveyId);
        const photo = await readPhotoPart(request, maxUploadBytes);
        try {
          const view = await media.receiveMultipartUpload(request.principal, survey, photo);
          return reply.status(201).send({ media: view });
        } finally {
          discardUnread(photo.stream);
        }
      },
    );
  });

  app.get(
    '/v1/media/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['media'],
        summary: 'One photo: status, metadata, quality and signed links to its derivatives',
        params: IdParams,
        response: { 200: MediaView, ...readErrors },
      },
    },
    async (request) => media.getMedia(request.principal, request.params.id),
  );

  app.get(
    '/v1/surveys/:surveyId/media',
    {
      onRequest: authenticate,
      schema: {
        tags: ['media'],
        summary: 'Photos of a survey, oldest first',
        params: SurveyMediaParams,
        response: { 200: Type.Array(MediaView), ...readErrors },
      },
    },
    async (request) => media.listSurveyMedia(request.principal, request.params.surveyId),
  );
}

// A file part left unread would hold the request open, so whatever the handler did not
// consume is drained.
function discardUnread(stream: Readable): void {
  if (!stream.readableEnded) stream.resume();
}
