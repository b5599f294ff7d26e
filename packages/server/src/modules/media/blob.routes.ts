import { finished, PassThrough, Readable } from 'node:stream';
import { ErrorBody, MediaEnvelope, SignedBlobQuery } from '@avior/contract';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyContentTypeParser, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../gateway/app-types.ts';
import { BlobNotFoundError, type BlobStore } from '../../platform/blobs/blob-store.ts';
import { verifyGrant, type SignedGrant } from '../../platform/blobs/signed-url.ts';
import { AppError, notFound } from '../../platform/errors/error-catalogue.ts';
import type { MediaService } from './media.service.ts';

export interface BlobRouteDependencies {
  readonly secret: string;
  readonly blobs: BlobStore;
  readonly media: MediaService;
  readonly maxUploadBytes: number;
}

const signedErrors = { 403: ErrorBody, 404: ErrorBody, 410: ErrorBody };

const UPLOAD_TYPES = 'the body must be the raw photo, sent as image/* or application/octet-stream';

const REJECTION_REASONS: Readonly<Record<'missing' | 'tampered', string>> = {
  missing:
    'the link lacks a required parameter (op, key, exp or sig). Use the link exactly as issued',
  tampered: 'the signature does not match the link. Use the link exactly as issued',
};

/** Content types served by blob key extension. Keys without a listed extension are served as bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  webp: 'image/webp',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
};

/**
 * Checks the signed query of a blob link. The raw query string is verified rather than the
 * parsed one, so repeated or re-encoded parameters cannot slip past the signature.
 */
export function verifySignedRequest(
  secret: string,
  url: string,
  operation: SignedGrant['operation'],
): SignedGrant {
  const start = url.indexOf('?');
  const query = new URLSearchParams(start === -1 ? '' : url.slice(start + 1));
  const check = verifyGrant(secret, query);
  if (!check.ok) {
    if (check.reason === 'expired') {
      throw new AppError('SIGNED_URL_EXPIRED', { expiredAt: check.expiredAt });
    }
    throw new AppError('SIGNED_URL_INVALID', { reason: REJECTION_REASONS[check.reason] });
  }
  if (check.grant.operation !== operation) {
    throw new AppError('SIGNED_URL_INVALID', {
      reason: `the link allows ${check.grant.operation}, not ${operation}`,
    });
  }

  return check.grant;
}

/** Returns the content type of a blob from its key's extension. */
export function contentTypeOfKey(key: string): string {
  const name = key.split('/').at(-1) ?? '';
  const extension = name.includes('.') ? (name.split('.').at(-1) ?? '') : '';
  return CONTENT_TYPES[extension.toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Builds a content-disposition header with an ASCII fallback name and the exact name in
 * UTF-8 (RFC 6266 section 4.3, RFC 8187 encoding), so every browser gets a usable name.
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function parseContentLength(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length'];
  const value = header === undefined ? Number.NaN : Number(header);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Feeds a request body into a separate stream. A blob store that stops reading at its size
 * limit destroys the stream it reads, and destroying the request itself would reset the
 * connection before the 413 response is sent. A body that ends early fails the copy.
 */
function detachBody(body: Readable): Readable {
  const copy = new PassThrough();
  finished(body, (error) => {
    if (error) copy.destroy(error);
  });
  return body.pipe(copy);
}

const passThrough: FastifyContentTypeParser = (_request, payload, done) => done(null, payload);

function rejectUploadType(request: FastifyRequest): AppError {
  return new AppError('UNSUPPORTED_MEDIA_TYPE', {
    contentType: request.headers['content-type'] ?? '(none)',
    expected: UPLOAD_TYPES,
  });
}

/**
 * Registers the targets of signed links: PUT stores the bytes of an upload and GET streams a
 * blob. Neither takes an access token, because the signature names the one blob and the
 * operation allowed.
 */
export async function registerBlobRoutes(app: App, deps: BlobRouteDependencies): Promise<void> {
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    // The body is streamed to the blob store as it arrives, never buffered, so this scope
    // replaces the JSON and text parsers with ones that pass the raw stream through.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(/^image\/[\w.+-]+$/i, passThrough);
    scope.addContentTypeParser('application/octet-stream', passThrough);
    scope.addContentTypeParser('*', (request, _payload, done) => done(rejectUploadType(request)));
    // A rejected upload leaves its body unread on the connection, and a client that reused the
    // connection would wait for ever. Closing it after the error response frees the client.
    scope.addHook('onError', async (request, reply) => {
      if (!request.raw.complete) void reply.header('connection', 'close');
    });

    scope.put(
      '/v1/blobs/upload',
      {
        bodyLimit: deps.maxUploadBytes + 1,
        schema: {
          tags: ['media'],
          summary: 'Upload target of a signed link: the raw bytes of one photo',
          security: [],
          querystring: SignedBlobQuery,
          response: {
            200: MediaEnvelope,
            ...signedErrors,
            409: ErrorBody,
            413: ErrorBody,
            415: ErrorBody,
          },
        },
      },
      async (request) => {
        const grant = verifySignedRequest(deps.secret, request.url, 'put');
        if (!(request.body instanceof Readable)) throw rejectUploadType(request);

        const upload = { key: grant.key, maxBytes: grant.maxBytes };
        const body = detachBody(request.body);
        const view = await deps.media.receiveSignedUpload(
          upload,
          body,
          parseContentLength(request),
        );
        return { media: view };
      },
    );
  });

  app.get(
    '/v1/blobs/download',
    {
      schema: {
        tags: ['media'],
        summary: 'Download target of a signed link: one blob',
        security: [],
        querystring: SignedBlobQuery,
        response: {
          200: Type.Unsafe<Readable>({ type: 'string', format: 'binary' }),
          ...signedErrors,
        },
      },
    },
    async (request, reply) => {
      const grant = verifySignedRequest(deps.secret, request.url, 'get');
      const stream = await deps.blobs.getStream(grant.key).catch((error: unknown) => {
        throw error instanceof BlobNotFoundError ? notFound('File', grant.key) : error;
      });

      const maxAge = Math.max(0, grant.expiresAt - Math.floor(Date.now() / 1000));
      reply.header('content-type', contentTypeOfKey(grant.key));
      reply.header('cache-control', `private, max-age=${maxAge}`);
      reply.header('x-content-type-options', 'nosniff');
      if (grant.fileName) {
        reply.header('content-disposition', attachmentDisposition(grant.fileName));
      }
      return reply.send(stream);
    },
  );
}
