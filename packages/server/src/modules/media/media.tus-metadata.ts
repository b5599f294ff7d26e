import type { IncomingHttpHeaders } from 'node:http';
import {
  FileName,
  LATITUDE_RANGE,
  LONGITUDE_RANGE,
  REQUIRED_UPLOAD_METADATA,
  TemplateId,
  UPLOAD_FILENAME_MAX_LENGTH,
  UPLOAD_METADATA_KEYS,
  type AcceptedImageType,
  type UploadMetadataKey,
} from '@avior/contract';
import { Metadata } from '@tus/server';
import { Value } from 'typebox/value';
import { AppError } from '../../platform/errors/error-catalogue.ts';
import type { DeclaredCapture } from './media.declared.ts';
import { acceptedImageType } from './media.policy.ts';

/** Decoded Upload-Metadata: a key sent without a value maps to null. */
export type UploadMetadata = Readonly<Record<string, string | null>>;

/** Photo facts declared in a resumable upload's metadata, after validation. */
export interface UploadDeclaration {
  readonly mediaId: string;
  readonly surveyId: string;
  readonly questionId: string | undefined;
  readonly fileName: string;
  readonly fileType: AcceptedImageType;
  readonly capture: DeclaredCapture;
}

interface Problem {
  readonly field: string;
  readonly problem: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WHOLE_NUMBER = /^\d+$/;
const DECIMAL_DEGREES = /^[+-]?\d{1,3}(\.\d{1,15})?$/;
// ISO 8601 / RFC 3339 date-time; the offset is required so the instant is unambiguous.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function invalid(problems: readonly Problem[]): AppError {
  const summary = problems.map((entry) => `${entry.field} ${entry.problem}`).join('; ');
  return new AppError('VALIDATION_FAILED', { summary, problems });
}

function metadataField(key: UploadMetadataKey): string {
  return `metadata.${UPLOAD_METADATA_KEYS[key]}`;
}

/**
 * Reads Upload-Length. Raises VALIDATION_FAILED when it is missing, malformed or 0 (an empty
 * file), and PAYLOAD_TOO_LARGE above `maxBytes`. Upload-Defer-Length and Upload-Concat are
 * rejected, because the server needs the size up front and takes each photo as one upload.
 */
export function readUploadLength(headers: IncomingHttpHeaders, maxBytes: number): number {
  if (headers['upload-concat'] !== undefined) {
    throw invalid([
      {
        field: 'headers.upload-concat',
        problem: 'is not supported: send each photo as one upload, without parallel parts',
      },
    ]);
  }
  if (headers['upload-defer-length'] !== undefined) {
    throw invalid([
      {
        field: 'headers.upload-defer-length',
        problem: 'is not supported: send Upload-Length with the file size in bytes',
      },
    ]);
  }

  const raw = headers['upload-length'];
  if (typeof raw !== 'string' || !WHOLE_NUMBER.test(raw)) {
    const problem =
      raw === undefined ? 'is required: send the file size in bytes' : 'must be a whole number';
    throw invalid([{ field: 'headers.upload-length', problem }]);
  }

  const length = Number(raw);
  if (length === 0) {
    throw invalid([
      { field: 'headers.upload-length', problem: 'is 0, so the file is empty: send a photo' },
    ]);
  }
  if (length > maxBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', {
      limit: maxBytes,
      byteSize: length,
      field: 'headers.upload-length',
    });
  }
  return length;
}

/** Decodes the Upload-Metadata header (tus: comma-separated `key base64value` pairs). */
export function parseMetadataHeader(header: string | string[] | undefined): UploadMetadata {
  if (typeof header !== 'string' || header.trim() === '') {
    throw invalid([
      {
        field: 'headers.upload-metadata',
        problem: `is required with the keys ${REQUIRED_UPLOAD_METADATA.join(', ')}`,
      },
    ]);
  }

  try {
    return Metadata.parse(header);
  } catch {
    throw invalid([
      {
        field: 'headers.upload-metadata',
        problem:
          'is malformed: send comma-separated "key value" pairs with unique keys and base64 values',
      },
    ]);
  }
}

/**
 * Checks the declared metadata of a photo. Raises VALIDATION_FAILED listing every missing or
 * malformed key, then UNSUPPORTED_MEDIA_TYPE when filetype is not an accepted image type.
 */
export function readUploadDeclaration(metadata: UploadMetadata): UploadDeclaration {
  const problems: Problem[] = [];
  const read = (key: UploadMetadataKey): string | undefined => {
    const value = metadata[UPLOAD_METADATA_KEYS[key]];
    if (value !== undefined && value !== null && value !== '') return value;

    if (REQUIRED_UPLOAD_METADATA.includes(key)) {
      problems.push({ field: metadataField(key), problem: 'is required' });
    }
    return undefined;
  };
  const check = (key: UploadMetadataKey, valid: boolean, problem: string): void => {
    if (!valid) problems.push({ field: metadataField(key), problem });
  };

  const mediaId = read('mediaId');
  if (mediaId !== undefined) check('mediaId', UUID.test(mediaId), 'must be a UUID');
  const surveyId = read('surveyId');
  if (surveyId !== undefined) check('surveyId', UUID.test(surveyId), 'must be a UUID');
  const questionId = read('questionId');
  if (questionId !== undefined) {
    check(
      'questionId',
      Value.Check(TemplateId, questionId),
      'must be a question id: a letter, then letters, digits, _ or -',
    );
  }
  const fileName = read('filename');
  if (fileName !== undefined) {
    check(
      'filename',
      Value.Check(FileName, fileName),
      `must be 1 to ${UPLOAD_FILENAME_MAX_LENGTH} characters without control characters`,
    );
  }
  const fileType = read('filetype');
  const capture = readDeclaredCapture(read, problems);
  if (problems.length > 0) throw invalid(problems);

  return {
    mediaId: mediaId!.toLowerCase(),
    surveyId: surveyId!.toLowerCase(),
    questionId,
    fileName: fileName!,
    fileType: acceptedFileType(fileType!),
    capture,
  };
}

function acceptedFileType(raw: string): AcceptedImageType {
  try {
    return acceptedImageType(raw);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;

    throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
      ...error.details,
      field: metadataField('filetype'),
      expected: `${metadataField('filetype')} ${String(error.details.expected)}`,
    });
  }
}

function readDeclaredCapture(
  read: (key: UploadMetadataKey) => string | undefined,
  problems: Problem[],
): DeclaredCapture {
  const rawCapturedAt = read('capturedAt');
  const capturedAt = rawCapturedAt === undefined ? null : readDateTime(rawCapturedAt);
  if (rawCapturedAt !== undefined && capturedAt === null) {
    problems.push({
      field: metadataField('capturedAt'),
      problem: 'must be an ISO 8601 date-time with a UTC offset, e.g. 2026-03-01T10:15:00Z',
    });
  }

  const latitude = readDegrees('latitude', read('latitude'), LATITUDE_RANGE, problems);
  const longitude = readDegrees('longitude', read('longitude'), LONGITUDE_RANGE, problems);
  if ((latitude === undefined) !== (longitude === undefined)) {
    const missing = latitude === undefined ? 'latitude' : 'longitude';
    problems.push({
      field: metadataField(missing),
      problem: 'is required when the other coordinate is sent',
    });
  }

  const gps =
    latitude !== undefined && longitude !== undefined && !Number.isNaN(latitude + longitude)
      ? { latitude, longitude }
      : null;
  return { capturedAt, gps };
}

/** Returns `raw` when it is a real calendar date-time with an offset, else null. */
function readDateTime(raw: string): string | null {
  const match = DATE_TIME.exec(raw);
  if (!match || Number.isNaN(Date.parse(raw))) return null;

  // Date.parse rolls 30 February over to 2 March, so the day is checked against the month.
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day ? raw : null;
}

/** Returns the degrees, NaN after recording a problem, or undefined when the key is absent. */
function readDegrees(
  key: 'latitude' | 'longitude',
  raw: string | undefined,
  range: { readonly min: number; readonly max: number },
  problems: Problem[],
): number | undefined {
  if (raw === undefined) return undefined;

  const degrees = DECIMAL_DEGREES.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isNaN(degrees) || degrees < range.min || degrees > range.max) {
    problems.push({
      field: metadataField(key),
      problem: `must be decimal degrees from ${range.min} to ${range.max}`,
    });
    return Number.NaN;
  }
  return degrees;
}
