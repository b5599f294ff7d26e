import exifr from 'exifr';

import { startsWith } from './image.format.ts';
import type { GpsPosition, ImageFormat, ImageMetadata } from './image.types.ts';

/** The EXIF facts that outlive the original file. */
export type ExifFacts = Pick<ImageMetadata, 'orientation' | 'capturedAt' | 'gps' | 'camera'>;

const NO_FACTS: ExifFacts = { orientation: null, capturedAt: null, gps: null, camera: null };

/** Raw values as exifr returns them with `reviveValues` and `translateValues` off. */
type RawTags = Readonly<Record<string, unknown>>;

const EXIFR_OPTIONS = {
  tiff: true,
  exif: true,
  gps: true,
  ifd1: false,
  interop: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  makerNote: false,
  userComment: false,
  reviveValues: false,
  translateValues: false,
};

/** EXIF 2.3 date-time layout "YYYY:MM:DD HH:MM:SS". */
const EXIF_DATE_TIME = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const UTC_OFFSET = /^[+-]\d{2}:\d{2}$/;

function readString(tags: RawTags, key: string): string | null {
  const value = tags[key];
  if (typeof value !== 'string') {
    return null;
  }

  const trimmed = value.replace(/\0+$/, '').trim();
  return trimmed === '' ? null : trimmed;
}

function readNumber(tags: RawTags, key: string): number | null {
  const value = tags[key];
  const number = value instanceof Uint8Array ? value[0] : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

/**
 * Converts DateTimeOriginal to ISO 8601, adding SubSecTimeOriginal and OffsetTimeOriginal
 * (EXIF 2.31) when present. Without an offset the result is a local time with no zone.
 */
function readCapturedAt(tags: RawTags): string | null {
  const match = EXIF_DATE_TIME.exec(readString(tags, 'DateTimeOriginal') ?? '');
  if (match === null) {
    return null;
  }

  const [, year, month, day, hour, minute, second] = match;
  if (year === '0000' || month === '00' || day === '00') {
    return null;
  }

  const rawSubSeconds = tags['SubSecTimeOriginal'];
  const subSeconds =
    typeof rawSubSeconds === 'number'
      ? String(rawSubSeconds)
      : readString(tags, 'SubSecTimeOriginal');
  const fraction = subSeconds !== null && /^\d+$/.test(subSeconds) ? `.${subSeconds}` : '';
  const offset = readString(tags, 'OffsetTimeOriginal') ?? '';
  const zone = UTC_OFFSET.test(offset) ? offset : '';
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${zone}`;
}

function readGps(tags: RawTags): GpsPosition | null {
  const latitude = readNumber(tags, 'latitude');
  const longitude = readNumber(tags, 'longitude');
  if (latitude === null || longitude === null) {
    return null;
  }
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
    return null;
  }

  const altitude = readNumber(tags, 'GPSAltitude');
  if (altitude === null) {
    return { latitude, longitude, altitude: null };
  }

  // GPSAltitudeRef 1 means below sea level (EXIF 2.3, tag 0x0005).
  const isBelowSeaLevel = readNumber(tags, 'GPSAltitudeRef') === 1;
  return { latitude, longitude, altitude: isBelowSeaLevel ? -altitude : altitude };
}

function readCamera(tags: RawTags): ExifFacts['camera'] {
  const make = readString(tags, 'Make');
  const model = readString(tags, 'Model');
  return make === null && model === null ? null : { make, model };
}

function readOrientation(tags: RawTags): number | null {
  const orientation = readNumber(tags, 'Orientation');
  return orientation !== null && orientation >= 1 && orientation <= 8 ? orientation : null;
}

/** Strips the "Exif\0\0" prefix that some writers put before the TIFF header in WebP. */
function toTiff(webpExif: Uint8Array): Uint8Array {
  const prefix = [0x45, 0x78, 0x69, 0x66, 0, 0];
  return startsWith(webpExif, prefix) ? webpExif.subarray(prefix.length) : webpExif;
}

/**
 * Reads capture time, GPS, camera and orientation with exifr. `webpExif` is the payload of a
 * WebP EXIF chunk, which exifr 7 cannot find by itself. Unreadable EXIF yields no facts
 * rather than an error, because the pixels may still be fine.
 */
export async function readExifFacts(
  bytes: Uint8Array,
  format: ImageFormat,
  webpExif: Uint8Array | null,
): Promise<ExifFacts> {
  if (format === 'webp' && webpExif === null) {
    return NO_FACTS;
  }

  const source = webpExif === null ? bytes : toTiff(webpExif);
  let tags: unknown;
  try {
    tags = await exifr.parse(source, EXIFR_OPTIONS);
  } catch {
    return NO_FACTS;
  }
  if (typeof tags !== 'object' || tags === null) {
    return NO_FACTS;
  }

  const raw = tags as RawTags;
  return {
    orientation: readOrientation(raw),
    capturedAt: readCapturedAt(raw),
    gps: readGps(raw),
    camera: readCamera(raw),
  };
}
