import type { MetadataSource } from '@avior/contract';
import type { GpsPosition, ImageMetadata } from './image/index.ts';

/**
 * Capture facts that the uploading device declared in a resumable upload's metadata. A device
 * that re-encodes a photo in a canvas drops its EXIF, so these are all that is left of when and
 * where the photo was taken.
 */
export interface DeclaredCapture {
  /** ISO 8601 date-time with a UTC offset, as the device sent it. */
  readonly capturedAt: string | null;
  readonly gps: { readonly latitude: number; readonly longitude: number } | null;
}

/** Value of `media.metadata` from a resumable upload until the worker processes the photo. */
export interface StoredDeclaration {
  readonly declared: DeclaredCapture;
}

/** The metadata the worker stores: the file's facts, gaps filled from the declaration. */
export interface MergedMetadata extends ImageMetadata {
  readonly capturedAtSource: MetadataSource;
  readonly gpsSource: MetadataSource;
  /** The device's declaration, kept as sent even where the file's EXIF won. */
  readonly declared?: DeclaredCapture;
}

/** Returns the value for `media.metadata` of a new upload, or null when nothing was declared. */
export function toStoredDeclaration(declared: DeclaredCapture): StoredDeclaration | null {
  return declared.capturedAt === null && declared.gps === null ? null : { declared };
}

/** Reads a declaration back from `media.metadata`; returns null for anything else. */
export function readDeclaredCapture(metadata: unknown): DeclaredCapture | null {
  if (typeof metadata !== 'object' || metadata === null || !('declared' in metadata)) return null;

  const declared = metadata.declared as Partial<DeclaredCapture> | null;
  if (typeof declared !== 'object' || declared === null) return null;

  const capturedAt = typeof declared.capturedAt === 'string' ? declared.capturedAt : null;
  const gps = declared.gps;
  const hasGps =
    typeof gps === 'object' &&
    gps !== null &&
    typeof gps.latitude === 'number' &&
    typeof gps.longitude === 'number';
  return { capturedAt, gps: hasGps ? { latitude: gps.latitude, longitude: gps.longitude } : null };
}

/**
 * Fills the capture time and position that the file lacks from the device's declaration. A
 * fact read from the file always wins, because EXIF is written by the camera at capture time.
 *
 * @example
 * mergeDeclaredCapture(fromFileWithoutExif, { capturedAt: '2026-03-01T10:15:00Z', gps: null });
 * // capturedAt '2026-03-01T10:15:00Z', capturedAtSource 'device', gps null, gpsSource null
 */
export function mergeDeclaredCapture(
  metadata: ImageMetadata,
  declared: DeclaredCapture | null,
): MergedMetadata {
  const capturedAt = metadata.capturedAt ?? declared?.capturedAt ?? null;
  const declaredGps: GpsPosition | null = declared?.gps
    ? { ...declared.gps, altitude: null }
    : null;
  const gps = metadata.gps ?? declaredGps;
  return {
    ...metadata,
    capturedAt,
    gps,
    capturedAtSource: sourceOf(metadata.capturedAt, capturedAt),
    gpsSource: sourceOf(metadata.gps, gps),
    ...(declared ? { declared } : {}),
  };
}

function sourceOf(fromFile: unknown, merged: unknown): MetadataSource {
  if (fromFile !== null) return 'file';
  return merged === null ? null : 'device';
}
