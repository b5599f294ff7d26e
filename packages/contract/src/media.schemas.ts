import { Type, type Static, type TSchema } from 'typebox';
import { Uuid } from './common.schemas.ts';
import { TemplateId } from './templates.ts';

/**
 * Photo uploads and their processing results. Photo bytes never travel in a JSON body. A
 * client either requests a signed upload link and PUTs the file to it, or posts
 * multipart/form-data.
 */

/** Content types a client may declare. The server checks the real bytes after the upload. */
export const ACCEPTED_IMAGE_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'image/heif',
] as const;
export type AcceptedImageType = (typeof ACCEPTED_IMAGE_TYPES)[number];

/** File names are shown to people and sent back in content-disposition, so no control characters. */
export const FileName = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^[^\\u0000-\\u001f\\u007f]+$',
});

export const MEDIA_STATUSES = ['awaiting_upload', 'uploaded', 'processed', 'failed'] as const;
export const MediaStatus = Type.Enum(MEDIA_STATUSES);
export type MediaStatus = Static<typeof MediaStatus>;

/**
 * Reason codes of a failed photo. The first five come from the image checks and are final,
 * because the same bytes fail again. `processing_failed` means every processing attempt erred.
 */
export const MEDIA_FAILURE_CODES = [
  'empty',
  'unsupported_type',
  'corrupt',
  'too_large',
  'too_many_pixels',
  'processing_failed',
] as const;
export const MediaFailureCode = Type.Enum(MEDIA_FAILURE_CODES);
export type MediaFailureCode = Static<typeof MediaFailureCode>;

export const CreateUploadBody = Type.Object(
  {
    fileName: FileName,
    contentType: Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'Declared type, one of ACCEPTED_IMAGE_TYPES',
    }),
    byteSize: Type.Integer({
      minimum: 1,
      description: 'Size of the file in bytes. The upload may not exceed it',
    }),
    questionId: Type.Optional(TemplateId),
  },
  { additionalProperties: false },
);
export type CreateUploadBody = Static<typeof CreateUploadBody>;

export const SurveyMediaParams = Type.Object({ surveyId: Uuid });
export type SurveyMediaParams = Static<typeof SurveyMediaParams>;

/** Latitude and longitude in decimal degrees (WGS 84), altitude in metres above sea level. */
export const GpsView = Type.Object({
  latitude: Type.Number(),
  longitude: Type.Number(),
  altitude: Type.Union([Type.Number(), Type.Null()]),
});

/** Facts read from the original file. Derivatives carry none of them. */
export const MediaMetadataView = Type.Object({
  format: Type.String({ description: 'Format detected from the bytes: jpeg, png, webp or heic' }),
  width: Type.Integer({ description: 'Width of the upright photo in pixels' }),
  height: Type.Integer({ description: 'Height of the upright photo in pixels' }),
  orientation: Type.Union([Type.Integer({ minimum: 1, maximum: 8 }), Type.Null()]),
  capturedAt: Type.Union([Type.String(), Type.Null()], {
    description: 'EXIF DateTimeOriginal, ISO 8601',
  }),
  gps: Type.Union([GpsView, Type.Null()]),
  camera: Type.Union([
    Type.Object({
      make: Type.Union([Type.String(), Type.Null()]),
      model: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
});
export type MediaMetadataView = Static<typeof MediaMetadataView>;

export const MediaQualityView = Type.Object({
  sharpness: Type.Number({
    description: 'Variance of the Laplacian. Lower values mean a blurrier photo',
  }),
  blurry: Type.Boolean(),
  meanLuminance: Type.Number({ description: 'Mean brightness from 0 (black) to 255 (white)' }),
  underExposed: Type.Boolean(),
  overExposed: Type.Boolean(),
  tooSmall: Type.Boolean(),
  notes: Type.Array(Type.String()),
});
export type MediaQualityView = Static<typeof MediaQualityView>;

/** A resized copy without metadata, with a signed link that expires at `urlExpiresAt`. */
export const DerivativeView = Type.Object({
  tier: Type.String({ description: 'w2048, w1024, thumb320 or report' }),
  contentType: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
  bytes: Type.Integer(),
  url: Type.String(),
  urlExpiresAt: Type.String({ format: 'date-time' }),
});
export type DerivativeView = Static<typeof DerivativeView>;

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const MediaView = Type.Object({
  id: Uuid,
  surveyId: Uuid,
  questionId: Nullable(Type.String()),
  fileName: Type.String(),
  declaredType: Type.String(),
  status: MediaStatus,
  maxBytes: Type.Integer(),
  byteSize: Nullable(Type.Integer()),
  uploadedBy: Uuid,
  failureCode: Nullable(MediaFailureCode),
  failureReason: Nullable(Type.String()),
  detectedFormat: Nullable(Type.String()),
  metadata: Nullable(MediaMetadataView),
  quality: Nullable(MediaQualityView),
  blurhash: Nullable(Type.String()),
  derivatives: Type.Array(DerivativeView),
  createdAt: Type.String({ format: 'date-time' }),
  uploadedAt: Nullable(Type.String({ format: 'date-time' })),
  processedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type MediaView = Static<typeof MediaView>;

export const UploadLinkView = Type.Object({
  method: Type.Literal('PUT'),
  url: Type.String({ description: 'Send the raw bytes here. No access token is needed' }),
  expiresAt: Type.String({ format: 'date-time' }),
  maxBytes: Type.Integer({ description: 'Bodies larger than this are rejected with 413' }),
});
export type UploadLinkView = Static<typeof UploadLinkView>;

export const UploadTicketView = Type.Object({ media: MediaView, upload: UploadLinkView });
export type UploadTicketView = Static<typeof UploadTicketView>;

export const MediaEnvelope = Type.Object({ media: MediaView });
export type MediaEnvelope = Static<typeof MediaEnvelope>;

/**
 * Query of a signed blob link. The signature `sig` covers every other parameter, so a missing
 * or altered parameter is rejected with 403 rather than 400.
 */
export const SignedBlobQuery = Type.Object({
  op: Type.Optional(Type.String({ description: 'put or get' })),
  key: Type.Optional(Type.String()),
  exp: Type.Optional(Type.String({ description: 'Expiry, Unix seconds' })),
  max: Type.Optional(Type.String({ description: 'Largest accepted body of a put, in bytes' })),
  name: Type.Optional(Type.String({ description: 'File name suggested by a get' })),
  sig: Type.Optional(Type.String({ description: 'HMAC-SHA256 of the other parameters' })),
});
export type SignedBlobQuery = Static<typeof SignedBlobQuery>;
