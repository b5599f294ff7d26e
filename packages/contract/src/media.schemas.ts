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

/**
 * Origin of a capture fact: `file` when read from the photo's EXIF, `device` when the
 * uploading device declared it because the file had none (a photo re-encoded in a canvas loses
 * its EXIF), null when neither gave one.
 */
export const MEDIA_METADATA_SOURCES = ['file', 'device'] as const;
export const MetadataSource = Type.Union([Type.Enum(MEDIA_METADATA_SOURCES), Type.Null()]);
export type MetadataSource = Static<typeof MetadataSource>;

/** Facts read from the original file, or declared by the device. Derivatives carry none. */
export const MediaMetadataView = Type.Object({
  format: Type.String({ description: 'Format detected from the bytes: jpeg, png, webp or heic' }),
  width: Type.Integer({ description: 'Width of the upright photo in pixels' }),
  height: Type.Integer({ description: 'Height of the upright photo in pixels' }),
  orientation: Type.Union([Type.Integer({ minimum: 1, maximum: 8 }), Type.Null()]),
  capturedAt: Type.Union([Type.String(), Type.Null()], {
    description:
      'EXIF DateTimeOriginal, or the time the device declared when the file has none, ISO 8601',
  }),
  gps: Type.Union([GpsView, Type.Null()]),
  capturedAtSource: Type.Optional(MetadataSource),
  gpsSource: Type.Optional(MetadataSource),
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

/**
 * Resumable uploads with the tus 1.0.0 protocol (core, creation, creation-with-upload,
 * termination and expiration). Every request needs `Authorization: Bearer <token>`. The
 * Upload-Metadata header carries the keys below, each value base64 encoded as tus requires.
 *
 * @example
 * new tus.Upload(file, {
 *   endpoint: RESUMABLE_UPLOAD_PATH,
 *   headers: { Authorization: `Bearer ${token}` },
 *   metadata: { mediaId, surveyId, filename: 'boiler.jpg', filetype: 'image/jpeg' },
 * });
 */
export const RESUMABLE_UPLOAD_PATH = '/v1/uploads';

/** The tus protocol version the server speaks, sent as Tus-Resumable. */
export const TUS_VERSION = '1.0.0';

/** Names of the Upload-Metadata keys the server reads. Other keys are kept but ignored. */
export const UPLOAD_METADATA_KEYS = {
  /** A UUID the device generated; it becomes the photo's media id. Required. */
  mediaId: 'mediaId',
  /** The survey the photo belongs to. Required. */
  surveyId: 'surveyId',
  /** A photo question of the survey's template. Optional. */
  questionId: 'questionId',
  /** Shown to people and used for download names, 1 to 255 characters. Required. */
  filename: 'filename',
  /** Declared content type, one of ACCEPTED_IMAGE_TYPES. Required. */
  filetype: 'filetype',
  /** ISO 8601 date-time with a UTC offset or Z, when the photo was taken. Optional. */
  capturedAt: 'capturedAt',
  /** Decimal degrees (WGS 84) from -90 to 90; send with longitude. Optional. */
  latitude: 'latitude',
  /** Decimal degrees (WGS 84) from -180 to 180; send with latitude. Optional. */
  longitude: 'longitude',
} as const;
export type UploadMetadataKey = keyof typeof UPLOAD_METADATA_KEYS;

export const REQUIRED_UPLOAD_METADATA: readonly UploadMetadataKey[] = [
  'mediaId',
  'surveyId',
  'filename',
  'filetype',
];

/** Maximum length of the filename key, the same limit as FileName. */
export const UPLOAD_FILENAME_MAX_LENGTH = 255;

/** Ranges of the declared position, in decimal degrees. */
export const LATITUDE_RANGE = { min: -90, max: 90 } as const;
export const LONGITUDE_RANGE = { min: -180, max: 180 } as const;

/**
 * Error codes a resumable upload can end with, so a client can tell "done" from "start over".
 * MEDIA_ALREADY_UPLOADED: the photo with this mediaId is already stored; treat it as uploaded.
 * MEDIA_ID_CONFLICT: another photo uses this mediaId; generate a new id and upload again.
 * UPLOAD_EXPIRED (410) and NOT_FOUND (404): the partial upload is gone; create a new upload with
 * the same mediaId. UPLOAD_OFFSET_MISMATCH (409): send HEAD and resume from its Upload-Offset.
 */
export const RESUMABLE_UPLOAD_ERROR_CODES = [
  'MEDIA_ALREADY_UPLOADED',
  'MEDIA_ID_CONFLICT',
  'UPLOAD_EXPIRED',
  'UPLOAD_OFFSET_MISMATCH',
  'TUS_VERSION_UNSUPPORTED',
] as const;
export type ResumableUploadErrorCode = (typeof RESUMABLE_UPLOAD_ERROR_CODES)[number];
