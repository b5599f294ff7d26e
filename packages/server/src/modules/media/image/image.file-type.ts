import { readAscii, readFtypBrands, startsWith } from './image.format.ts';

/** A recognised file type that is not accepted as a photo. */
interface FileType {
  /** Noun phrase with its article, e.g. "a PDF document". */
  readonly label: string;
  readonly isImage: boolean;
}

interface Signature extends FileType {
  readonly bytes: readonly number[];
  readonly offset?: number;
}

const ascii = (text: string): readonly number[] => [...text].map((char) => char.charCodeAt(0));

const SIGNATURES: readonly Signature[] = [
  { bytes: ascii('%PDF-'), label: 'a PDF document', isImage: false },
  { bytes: [0x50, 0x4b, 0x03, 0x04], label: 'a ZIP archive or an Office document', isImage: false },
  { bytes: ascii('GIF87a'), label: 'a GIF image', isImage: true },
  { bytes: ascii('GIF89a'), label: 'a GIF image', isImage: true },
  { bytes: ascii('II*\0'), label: 'a TIFF image or a camera raw file', isImage: true },
  { bytes: ascii('MM\0*'), label: 'a TIFF image or a camera raw file', isImage: true },
  { bytes: [0xff, 0x0a], label: 'a JPEG XL image', isImage: true },
  { bytes: [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20], label: 'a JPEG XL image', isImage: true },
  { bytes: ascii('8BPS'), label: 'a Photoshop document', isImage: true },
  { bytes: [0, 0, 1, 0], label: 'a Windows icon', isImage: true },
  { bytes: ascii('WAVE'), offset: 8, label: 'a WAV audio file', isImage: false },
  { bytes: ascii('AVI '), offset: 8, label: 'an AVI video', isImage: false },
  { bytes: ascii('ID3'), label: 'an MP3 audio file', isImage: false },
  { bytes: ascii('OggS'), label: 'an Ogg audio or video file', isImage: false },
  { bytes: [0x1f, 0x8b], label: 'a gzip archive', isImage: false },
  { bytes: ascii('Rar!'), label: 'a RAR archive', isImage: false },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], label: 'a 7-Zip archive', isImage: false },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], label: 'an old Microsoft Office document', isImage: false },
  { bytes: ascii('{\\rtf'), label: 'an RTF document', isImage: false },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], label: 'a Linux program', isImage: false },
  { bytes: ascii('MZ'), label: 'a Windows program', isImage: false },
];

/** DIB header sizes of the BMP versions, so that text starting with "BM" is not taken for one. */
const BMP_HEADER_SIZES: ReadonlySet<number> = new Set([12, 40, 52, 56, 64, 108, 124]);

const VIDEO_BRANDS: ReadonlySet<string> = new Set(['isom', 'iso2', 'mp41', 'mp42', 'qt  ', 'M4V ']);

function describeFtyp(head: Uint8Array): FileType | null {
  const brands = readFtypBrands(head);
  if (brands.some((brand) => brand === 'avif' || brand === 'avis')) {
    return { label: 'an AVIF image', isImage: true };
  }
  if (brands.some((brand) => VIDEO_BRANDS.has(brand) || brand.startsWith('3g'))) {
    return { label: 'a video (MP4, QuickTime or 3GP)', isImage: false };
  }
  return brands.length > 0 ? { label: 'an ISO media file', isImage: false } : null;
}

function isBmp(head: Uint8Array): boolean {
  if (head.length < 18 || readAscii(head, 0, 2) !== 'BM') {
    return false;
  }

  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return BMP_HEADER_SIZES.has(view.getUint32(14, true));
}

/** Returns whether the bytes contain no control characters other than tab, newlines and form feed. */
function isText(head: Uint8Array): boolean {
  return head.every((value) => value >= 0x20 || [0x09, 0x0a, 0x0c, 0x0d, 0x1b].includes(value));
}

function describeText(head: Uint8Array): FileType {
  const start = new TextDecoder().decode(head).trimStart().slice(0, 256).toLowerCase();
  if (start.includes('<svg')) {
    return { label: 'an SVG drawing', isImage: true };
  }
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) {
    return { label: 'an HTML page', isImage: false };
  }
  if (start.startsWith('<?xml')) {
    return { label: 'an XML document', isImage: false };
  }
  if (start.startsWith('{') || start.startsWith('[')) {
    return { label: 'JSON text', isImage: false };
  }
  return { label: 'plain text', isImage: false };
}

/** Names the type of a file from its first bytes, or returns null when it is not recognised. */
export function describeFileType(head: Uint8Array): FileType | null {
  const signature = SIGNATURES.find(({ bytes, offset }) => startsWith(head, bytes, offset));
  if (signature !== undefined) {
    return signature;
  }
  if (isBmp(head)) {
    return { label: 'a BMP image', isImage: true };
  }

  const ftyp = describeFtyp(head);
  if (ftyp !== null) {
    return ftyp;
  }
  if (startsWith(head, [0xef, 0xbb, 0xbf]) || startsWith(head, [0xff, 0xfe])) {
    return { label: 'plain text with a byte order mark', isImage: false };
  }
  return isText(head) ? describeText(head) : null;
}

const ACCEPTED = 'Upload a JPEG, PNG, WebP or HEIC photo.';

/**
 * Builds the message for a file whose bytes match no accepted image format.
 *
 * @example
 * describeUnsupportedFile(Buffer.from('%PDF-1.7'));
 * // 'The file is not an image because its bytes start like a PDF document. Upload a JPEG, ...'
 */
export function describeUnsupportedFile(head: Uint8Array): string {
  const fileType = describeFileType(head);
  if (fileType === null) {
    return `The file is not a supported image because its first bytes match no known image format. ${ACCEPTED}`;
  }
  if (fileType.isImage) {
    return `The file is ${fileType.label}, which is not supported. ${ACCEPTED}`;
  }
  return `The file is not an image because its bytes start like ${fileType.label}. ${ACCEPTED}`;
}
