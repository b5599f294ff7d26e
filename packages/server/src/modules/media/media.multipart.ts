import type { MultipartFields, MultipartFile } from '@fastify/multipart';
import { FileName, TemplateId } from '@avior/contract';
import type { FastifyRequest } from 'fastify';
import { Value } from 'typebox/value';
import { BlobTooLargeError } from '../../platform/blobs/blob-store.ts';
import { AppError } from '../../platform/errors/error-catalogue.ts';
import type { IncomingPhoto } from './media.service.ts';

const ACCEPTED_FIELDS: ReadonlySet<string> = new Set(['questionId', 'file']);

function invalidField(field: string, problem: string): AppError {
  return new AppError('VALIDATION_FAILED', {
    summary: `${field} ${problem}`,
    problems: [{ field, problem }],
  });
}

function readQuestionId(fields: MultipartFields): string | undefined {
  const entry = fields.questionId;
  if (entry === undefined) return undefined;
  if (Array.isArray(entry) || entry.type !== 'field') {
    throw invalidField('body.questionId', 'must be one text field');
  }

  const value = entry.value;
  if (typeof value !== 'string' || !Value.Check(TemplateId, value)) {
    throw invalidField(
      'body.questionId',
      'must be a question id: a letter, then letters, digits, _ or -',
    );
  }
  return value;
}

function assertOnlyAcceptedFields(fields: MultipartFields): void {
  const extra = Object.keys(fields).find((name) => !ACCEPTED_FIELDS.has(name));
  if (extra !== undefined) throw invalidField(`body.${extra}`, 'is not an accepted field');
}

function readFileName(part: MultipartFile): string {
  const name = part.filename;
  if (!Value.Check(FileName, name)) {
    throw invalidField(
      'body.file',
      'must carry a file name of 1 to 255 characters without control characters',
    );
  }
  return name;
}

function validatePart(part: MultipartFile): Pick<IncomingPhoto, 'fileName' | 'questionId'> {
  if (part.fieldname !== 'file') {
    throw invalidField(
      `body.${part.fieldname}`,
      'is not an accepted field. Send the photo as the file part "file"',
    );
  }
  assertOnlyAcceptedFields(part.fields);

  return { fileName: readFileName(part), questionId: readQuestionId(part.fields) };
}

/**
 * Reads a multipart body up to its first file part, which must be named `file`. Only fields
 * sent before the file are seen, so `questionId` must come first. The file itself is left
 * unread for the caller to stream. A file cut at `maxBytes` fails that stream with
 * BlobTooLargeError, so a blob store writing it discards the partial file.
 */
export async function readPhotoPart(
  request: FastifyRequest,
  maxBytes: number,
): Promise<IncomingPhoto> {
  const part = await request.file();
  if (!part) throw invalidField('body.file', 'is required');

  let checked: Pick<IncomingPhoto, 'fileName' | 'questionId'>;
  try {
    checked = validatePart(part);
  } catch (error) {
    part.file.resume();
    throw error;
  }

  part.file.once('limit', () => part.file.destroy(new BlobTooLargeError(maxBytes)));
  return {
    ...checked,
    contentType: part.mimetype,
    stream: part.file,
    wasTruncated: () => part.file.truncated,
  };
}
