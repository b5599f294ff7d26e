import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

export interface DemoPhoto {
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
};

export const UNKNOWN_TYPE = 'application/octet-stream';

export const PHOTO_EXTENSIONS = Object.keys(CONTENT_TYPES);

/** The photos bundled with the repository, with their sources in ATTRIBUTION.md beside them. */
export const BUNDLED_PHOTOS_DIR = new URL('../../fixtures/photos/', import.meta.url);

/**
 * Lists the files of a folder in name order. The content type is a guess from the extension,
 * as a phone's file picker makes it; the server checks the real bytes.
 */
export function listPhotos(dir: string): DemoPhoto[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && !name.toLowerCase().endsWith('.md'))
    .map((name) => ({ name, path: join(dir, name) }))
    .filter((file) => statSync(file.path).isFile())
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((file) => ({
      ...file,
      size: statSync(file.path).size,
      contentType: CONTENT_TYPES[extname(file.name).toLowerCase()] ?? UNKNOWN_TYPE,
    }));
}
