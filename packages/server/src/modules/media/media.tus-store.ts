import { mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { ERRORS, type Upload } from '@tus/server';

/** The user and organisation that created a resumable upload. */
export interface UploadOwner {
  readonly orgId: string;
  readonly userId: string;
}

/** One resumable upload as stored, with its owner. */
export interface StoredUpload {
  readonly id: string;
  readonly size: number | undefined;
  /** Bytes stored so far: the size of the partial file. */
  readonly offset: number;
  /** The metadata the client sent, without the owner keys. */
  readonly metadata: Readonly<Record<string, string | null>>;
  readonly owner: UploadOwner | null;
  readonly createdAt: Date | null;
}

export interface PhotoUploadStoreOptions {
  readonly directory: string;
  readonly expirySeconds: number;
  /** Called with the bytes each write added to a partial file. */
  readonly onBytesStored: (bytes: number) => void;
}

// The owner travels in the upload's metadata, which the file store keeps in its JSON file. The
// server sets these keys at creation, replacing any a client sent, and strips them from HEAD.
const OWNER_ORG_KEY = 'owner.orgId';
const OWNER_USER_KEY = 'owner.userId';

/**
 * Keeps partial uploads as files in one folder, through @tus/file-store: `<id>` contains the bytes
 * received and `<id>.json` the length, metadata and creation time. The offset is the file's
 * size, so a PATCH cut mid-body resumes from exactly the bytes that reached the disk.
 */
export class PhotoUploadStore extends FileStore {
  private readonly onBytesStored: (bytes: number) => void;

  private constructor(options: PhotoUploadStoreOptions) {
    super({
      directory: options.directory,
      expirationPeriodInMilliseconds: options.expirySeconds * 1000,
    });
    this.onBytesStored = options.onBytesStored;
    // The routes reject deferred lengths before they reach @tus/server, so OPTIONS omits them.
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  }

  /** Creates the folder first: FileStore creates it in the background and throws on failure. */
  static open(options: PhotoUploadStoreOptions): PhotoUploadStore {
    mkdirSync(options.directory, { recursive: true });
    return new PhotoUploadStore(options);
  }

  /** Returns the metadata that records `owner` beside the client's keys. */
  static withOwner(
    metadata: Upload['metadata'],
    owner: UploadOwner,
  ): Record<string, string | null> {
    return { ...metadata, [OWNER_ORG_KEY]: owner.orgId, [OWNER_USER_KEY]: owner.userId };
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    try {
      const end = await super.write(readable, id, offset);
      this.onBytesStored(end - offset);
      return end;
    } catch (error) {
      // A failed write may still have put bytes on disk, and the next PATCH starts after them.
      const size = await this.sizeOnDisk(id);
      if (size > offset) this.onBytesStored(size - offset);
      throw error;
    }
  }

  override async getUpload(id: string): Promise<Upload> {
    const upload = await super.getUpload(id);
    upload.metadata = withoutOwner(upload.metadata ?? {});
    return upload;
  }

  /** Reads an upload with its owner; returns undefined when no upload has this id. */
  async find(id: string): Promise<StoredUpload | undefined> {
    let upload: Upload;
    try {
      upload = await super.getUpload(id);
    } catch (error) {
      if (error === ERRORS.FILE_NOT_FOUND || error === ERRORS.FILE_NO_LONGER_EXISTS) {
        return undefined;
      }
      throw error;
    }

    const metadata = upload.metadata ?? {};
    const orgId = metadata[OWNER_ORG_KEY];
    const userId = metadata[OWNER_USER_KEY];
    return {
      id,
      size: upload.size,
      offset: upload.offset,
      metadata: withoutOwner(metadata),
      owner: orgId && userId ? { orgId, userId } : null,
      createdAt: upload.creation_date ? new Date(upload.creation_date) : null,
    };
  }

  /** Returns whether an upload's expiry time has passed. */
  isExpired(upload: StoredUpload, now = Date.now()): boolean {
    const expiry = this.getExpiration();
    return expiry > 0 && upload.createdAt !== null && now > upload.createdAt.getTime() + expiry;
  }

  /** Opens the bytes received so far. */
  open(id: string): Readable {
    return this.read(id);
  }

  /** Deletes an upload's files; an upload already gone is no error. */
  async discard(id: string): Promise<void> {
    try {
      await this.remove(id);
    } catch (error) {
      if (error !== ERRORS.FILE_NOT_FOUND) throw error;
    }
  }

  private async sizeOnDisk(id: string): Promise<number> {
    try {
      return (await stat(join(this.directory, id))).size;
    } catch {
      return 0;
    }
  }
}

function withoutOwner(metadata: Record<string, string | null>): Record<string, string | null> {
  const ownerKeys: readonly string[] = [OWNER_ORG_KEY, OWNER_USER_KEY];
  return Object.fromEntries(Object.entries(metadata).filter(([key]) => !ownerKeys.includes(key)));
}
