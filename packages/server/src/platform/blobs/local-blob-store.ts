import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { BlobNotFoundError, BlobTooLargeError, type BlobStore } from './blob-store.ts';

/**
 * Stores blobs as files under one folder. Writes go to a temporary file that is renamed into
 * place, so a reader never sees half a blob and a failed upload leaves nothing behind.
 */
export class LocalBlobStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async putStream(key: string, body: Readable, maxBytes: number): Promise<number> {
    const target = this.pathOf(key);
    const temporary = `${target}.${randomUUID()}.part`;
    await mkdir(dirname(target), { recursive: true });

    let size = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > maxBytes) callback(new BlobTooLargeError(maxBytes));
        else callback(null, chunk);
      },
    });
    try {
      await pipeline(body, limiter, createWriteStream(temporary));
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return size;
  }

  async put(key: string, body: Buffer): Promise<void> {
    const target = this.pathOf(key);
    const temporary = `${target}.${randomUUID()}.part`;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temporary, body);
    await rename(temporary, target);
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      throw translateMissing(error, key);
    }
  }

  async getStream(key: string): Promise<Readable> {
    await this.assertExists(key);
    return createReadStream(this.pathOf(key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private async assertExists(key: string): Promise<void> {
    if (!(await this.exists(key))) throw new BlobNotFoundError(key);
  }

  // Keys come from the server, but a key that escapes the root would be a path traversal, so
  // it is rejected rather than trusted.
  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`Invalid blob key: ${key}`);
    return path;
  }
}

function translateMissing(error: unknown, key: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? new BlobNotFoundError(key) : error;
}
