import { readHeifHeader } from './heif.header.ts';
import { readAscii } from './image.format.ts';
import type { ImageFormat } from './image.types.ts';

/** Dimensions read from a file's header, before any pixel is decoded. */
export interface ImageHeader {
  /** Width of the coded pixels, before any rotation. */
  readonly storedWidth: number;
  readonly storedHeight: number;
  /** Anticlockwise rotation in degrees that the container applies (HEIF `irot`), else 0. */
  readonly containerRotation: number;
  /** Payload of a WebP `EXIF` chunk, the one place exifr 7 cannot read EXIF from by itself. */
  readonly webpExif: Uint8Array | null;
  /** Whether the header proves that image data is missing from the end of the file. */
  readonly isTruncated: boolean;
}

type Dimensions = readonly [width: number, height: number];

/**
 * Returns whether a marker is a start of frame, SOF0 to SOF15 in ITU-T T.81 table B.1. C4 (DHT),
 * C8 (JPG) and CC (DAC) share that range but carry no frame size.
 */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Walks the JPEG marker segments (ITU-T T.81 annex B) up to the first start-of-frame. */
function readJpegDimensions(view: DataView): Dimensions | null {
  let offset = 2;
  while (offset + 4 <= view.byteLength) {
    if (view.getUint8(offset) !== 0xff) {
      return null;
    }

    const marker = view.getUint8(offset + 1);
    if (marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      offset += marker === 0xff ? 1 : 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) {
      return null;
    }
    if (isStartOfFrame(marker) && offset + 9 <= view.byteLength) {
      return [view.getUint16(offset + 7), view.getUint16(offset + 5)];
    }
    offset += 2 + view.getUint16(offset + 2);
  }
  return null;
}

/** Reads the IHDR chunk, which the PNG specification requires to come first. */
function readPngDimensions(bytes: Uint8Array, view: DataView): Dimensions | null {
  if (bytes.length < 24 || readAscii(bytes, 12, 4) !== 'IHDR') {
    return null;
  }
  return [view.getUint32(16), view.getUint32(20)];
}

interface WebpChunk {
  readonly fourCc: string;
  readonly data: Uint8Array;
}

/** Lists the RIFF chunks of a WebP file, stopping at the first chunk that overruns the file. */
function listWebpChunks(bytes: Uint8Array, view: DataView): readonly WebpChunk[] {
  const chunks: WebpChunk[] = [];
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const size = view.getUint32(offset + 4, true);
    const start = offset + 8;
    if (start + size > bytes.length) {
      break;
    }

    chunks.push({ fourCc: readAscii(bytes, offset, 4), data: bytes.subarray(start, start + size) });
    offset = start + size + (size % 2);
  }
  return chunks;
}

/** Reads the canvas size from VP8X, VP8L or VP8 as laid out in RFC 9649. */
function readWebpDimensions(chunk: WebpChunk): Dimensions | null {
  const { data } = chunk;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (chunk.fourCc === 'VP8X' && data.length >= 10) {
    const width = 1 + (view.getUint32(4, true) & 0xffffff);
    const height = 1 + (view.getUint32(6, true) >>> 8);
    return [width, height];
  }
  if (chunk.fourCc === 'VP8L' && data.length >= 5 && data[0] === 0x2f) {
    const bits = view.getUint32(1, true);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  if (chunk.fourCc === 'VP8 ' && data.length >= 10 && data[3] === 0x9d && data[4] === 0x01) {
    return [view.getUint16(6, true) & 0x3fff, view.getUint16(8, true) & 0x3fff];
  }
  return null;
}

function readWebpHeader(bytes: Uint8Array, view: DataView): ImageHeader | null {
  const chunks = listWebpChunks(bytes, view);
  const first = chunks[0];
  const dimensions = first === undefined ? null : readWebpDimensions(first);
  if (dimensions === null) {
    return null;
  }

  const exif = chunks.find((chunk) => chunk.fourCc === 'EXIF')?.data ?? null;
  return {
    storedWidth: dimensions[0],
    storedHeight: dimensions[1],
    containerRotation: 0,
    webpExif: exif,
    isTruncated: false,
  };
}

function toHeader(dimensions: Dimensions | null): ImageHeader | null {
  if (dimensions === null) {
    return null;
  }
  return {
    storedWidth: dimensions[0],
    storedHeight: dimensions[1],
    containerRotation: 0,
    webpExif: null,
    isTruncated: false,
  };
}

function readHeicHeader(bytes: Uint8Array): ImageHeader | null {
  const heif = readHeifHeader(bytes);
  if (heif === null) {
    return null;
  }
  return {
    storedWidth: heif.width,
    storedHeight: heif.height,
    containerRotation: heif.rotation,
    webpExif: null,
    isTruncated: heif.dataEnd > bytes.length,
  };
}

/**
 * Reads the stored size of an image from its header alone, so that a decompression bomb is
 * rejected before a pixel buffer is allocated. Returns null when the header is unreadable or
 * declares a zero size.
 */
export function readImageHeader(bytes: Uint8Array, format: ImageFormat): ImageHeader | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = readHeaderOf(bytes, view, format);
  if (header === null || header.storedWidth === 0 || header.storedHeight === 0) {
    return null;
  }
  return header;
}

function readHeaderOf(bytes: Uint8Array, view: DataView, format: ImageFormat): ImageHeader | null {
  switch (format) {
    case 'jpeg':
      return toHeader(readJpegDimensions(view));
    case 'png':
      return toHeader(readPngDimensions(bytes, view));
    case 'webp':
      return readWebpHeader(bytes, view);
    case 'heic':
      return readHeicHeader(bytes);
  }
}
