import exifr from 'exifr';

// Capture time and GPS position read from the original photo on the device. The compressed copy
// carries no EXIF (a canvas does not keep it), so these facts travel in the upload's metadata.

export interface PhotoFacts {
  /**
   * EXIF DateTimeOriginal as ISO 8601 with an offset: the photo's own (OffsetTimeOriginal)
   * when it has one, else the device's time zone, where the photo was most likely taken.
   */
  readonly capturedAt: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

const NO_FACTS: PhotoFacts = { capturedAt: null, latitude: null, longitude: null };

/** EXIF 2.3 date-time layout "YYYY:MM:DD HH:MM:SS". */
const EXIF_DATE_TIME = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/;
const UTC_OFFSET = /^[+-]\d{2}:\d{2}$/;

/** Reads the facts; a photo without EXIF, or with EXIF exifr cannot read, has none. */
export async function readPhotoFacts(file: Blob): Promise<PhotoFacts> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return NO_FACTS;
  }

  const [tags, gps] = await Promise.all([readDateTags(bytes), readGps(bytes)]);
  return {
    capturedAt: formatCapturedAt(tags.DateTimeOriginal, tags.OffsetTimeOriginal),
    latitude: finiteOrNull(gps?.latitude),
    longitude: finiteOrNull(gps?.longitude),
  };
}

async function readDateTags(bytes: Uint8Array): Promise<Record<string, unknown>> {
  try {
    const tags: unknown = await exifr.parse(bytes, {
      pick: ['DateTimeOriginal', 'OffsetTimeOriginal'],
      reviveValues: false,
    });
    return typeof tags === 'object' && tags !== null ? (tags as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function readGps(bytes: Uint8Array): Promise<{ latitude?: number; longitude?: number }> {
  try {
    return (await exifr.gps(bytes)) ?? {};
  } catch {
    return {};
  }
}

function formatCapturedAt(dateTime: unknown, offset: unknown): string | null {
  const match = typeof dateTime === 'string' ? EXIF_DATE_TIME.exec(dateTime) : null;
  if (!match) return null;

  const [, year, month, day, hour, minute, second] = match;
  const local = `${year}-${month}-${day}T${hour}:${minute}:${second}`;
  const zone = typeof offset === 'string' ? offset.replace(/\0+$/, '').trim() : '';
  if (UTC_OFFSET.test(zone)) return `${local}${zone}`;

  // ECMAScript reads a date-time without an offset as local time (ECMA-262, Date.parse).
  const parsed = new Date(local);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

function finiteOrNull(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
