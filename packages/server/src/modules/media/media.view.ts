import type {
  MediaFailureCode,
  MediaMetadataView,
  MediaQualityView,
  MediaStatus,
  MediaView,
} from '@avior/contract';
import type { MediaRow } from '../../platform/db/schema.ts';

/** One derivative as stored in `media.derivatives`. */
export interface StoredDerivative {
  readonly tier: string;
  readonly key: string;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

/** Signs a download link for a blob, suggesting `fileName` to the browser. */
export type SignDownload = (key: string, fileName: string) => { url: string; expiresAt: string };

/** Names a derivative after the original: `boiler.HEIC` becomes `boiler-thumb320.webp`. */
export function derivativeFileName(
  fileName: string,
  derivative: Pick<StoredDerivative, 'tier' | 'key'>,
): string {
  const stem = fileName.replace(/\.[^.]*$/, '') || 'photo';
  const extension = derivative.key.split('.').at(-1) ?? 'bin';
  return `${stem}-${derivative.tier}.${extension}`;
}

// Before processing, a resumable upload's row contains only the device's declaration, which is
// no view of the file yet, so metadata without a detected format shows as null.
function toMetadataView(metadata: unknown): MediaMetadataView | null {
  if (!metadata || typeof (metadata as Partial<MediaMetadataView>).format !== 'string') {
    return null;
  }

  const { format, width, height, orientation, capturedAt, gps, camera } =
    metadata as MediaMetadataView;
  const stored = metadata as Partial<MediaMetadataView>;
  // Rows processed before sources were recorded have only facts read from the file.
  const capturedAtSource = stored.capturedAtSource ?? (capturedAt ? 'file' : null);
  const gpsSource = stored.gpsSource ?? (gps ? 'file' : null);
  return {
    format,
    width,
    height,
    orientation,
    capturedAt,
    gps,
    camera,
    capturedAtSource,
    gpsSource,
  };
}

function toDerivativeViews(row: MediaRow, sign: SignDownload): MediaView['derivatives'] {
  const stored = (row.derivatives ?? []) as readonly StoredDerivative[];
  return stored.map((derivative) => {
    const link = sign(derivative.key, derivativeFileName(row.file_name, derivative));
    const { tier, contentType, width, height, bytes } = derivative;
    return { tier, contentType, width, height, bytes, url: link.url, urlExpiresAt: link.expiresAt };
  });
}

function isoOrNull(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

/** Builds the API view of a media row, signing a fresh link for each derivative. */
export function toMediaView(row: MediaRow, sign: SignDownload): MediaView {
  return {
    id: row.id,
    surveyId: row.survey_id,
    questionId: row.question_id,
    fileName: row.file_name,
    declaredType: row.declared_type,
    status: row.status satisfies MediaStatus,
    maxBytes: row.max_bytes,
    byteSize: row.byte_size,
    uploadedBy: row.uploaded_by,
    failureCode: row.failure_code as MediaFailureCode | null,
    failureReason: row.failure_reason,
    detectedFormat: row.detected_format,
    metadata: toMetadataView(row.metadata),
    quality: (row.quality as MediaQualityView | null) ?? null,
    blurhash: row.blurhash,
    derivatives: toDerivativeViews(row, sign),
    createdAt: row.created_at.toISOString(),
    uploadedAt: isoOrNull(row.uploaded_at),
    processedAt: isoOrNull(row.processed_at),
  };
}
