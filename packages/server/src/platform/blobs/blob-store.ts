import type { Readable } from 'node:stream';

/**
 * Where uploaded photos, their derivatives and reports live. The local folder store is the
 * embedded default; an S3 store implements the same interface.
 */
export interface BlobStore {
  /** Writes a stream, failing with BlobTooLargeError past `maxBytes`; returns the byte count. */
  putStream(key: string, body: Readable, maxBytes: number): Promise<number>;
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  getStream(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
}

export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Blob exceeds ${limit} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Blob ${key} not found`);
    this.name = 'BlobNotFoundError';
  }
}
