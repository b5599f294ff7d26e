import { ACCEPTED_IMAGE_TYPES, type AnswerValue } from '@avior/contract';
import { v7 as uuidv7 } from 'uuid';
import type { LocalPhoto } from './db.ts';
import type { Device } from './device.ts';
import { ActionError, describeError } from './errors.ts';
import { readPhotoFacts } from './photo-facts.ts';
import { assertPhotoQuestion, queueAnswer } from './queue.ts';

// Photos taken on the device. A photo is stored at once (status compressing, keeping the
// original), compressed in a worker, then set waiting for upload, and its id (the future media
// id, a UUIDv7) is appended to the photo question's answer through the same queue as any edit.
// That answer lists the photo in `waitsForMedia`, so it is pushed only after the upload. A photo
// the server refuses for good leaves the answer, so the answer's other photos still sync.

/** Largest photo accepted from the camera or the file picker. */
export const MAX_PHOTO_BYTES = 30 * 1024 * 1024;
const MIB = 1024 * 1024;
const EXTENSION_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
};

/** Adds a photo to a photo question and returns its id; see the module comment. */
export async function addPhoto(
  device: Device,
  surveyId: string,
  questionId: string,
  file: File,
): Promise<string> {
  const contentType = checkPhotoFile(file, questionId);
  await assertPhotoQuestion(device.db, surveyId, questionId);

  const id = uuidv7();
  device.preparing.add(id);
  try {
    await device.db.photos.add(createRow(device, id, surveyId, questionId, file, contentType));
    await preparePhoto(device, id, file, contentType, questionId);
    await appendToAnswer(device, surveyId, questionId, id);
  } catch (error) {
    await device.db.photos.delete(id);
    throw error;
  } finally {
    device.preparing.delete(id);
  }
  return id;
}

/**
 * Finishes photos whose preparation a closed page cut short: they are still `compressing`
 * with their original bytes and are missing from their answer.
 */
export async function resumeInterruptedPhotos(device: Device): Promise<void> {
  const stuck = await device.db.photos.where('status').equals('compressing').toArray();
  for (const photo of stuck) {
    if (device.preparing.has(photo.id) || !photo.blob) continue;

    device.preparing.add(photo.id);
    try {
      const original = new File([photo.blob], photo.fileName, { type: photo.contentType });
      await preparePhoto(device, photo.id, original, photo.contentType, photo.questionId);
      await appendToAnswer(device, photo.surveyId, photo.questionId, photo.id);
    } catch (error) {
      device.logger.warn(`photo preparation failed for photo ${photo.id}`, error);
      await device.db.photos.update(photo.id, { status: 'failed', error: describeError(error) });
    } finally {
      device.preparing.delete(photo.id);
    }
  }
}

function appendToAnswer(
  device: Device,
  surveyId: string,
  questionId: string,
  photoId: string,
): Promise<void> {
  return queueAnswer(device, surveyId, questionId, (current) => {
    const ids = photoIdsOf(current?.value).filter((id) => id !== photoId);
    return { value: [...ids, photoId], note: current?.note ?? null };
  });
}

/** Removes a photo from its answer and the device, cancelling its upload. */
export async function removePhoto(device: Device, photoId: string): Promise<void> {
  const photo = await device.db.photos.get(photoId);
  if (!photo) return;

  // A photo that failed for good is no longer in its answer, so there is no edit to queue.
  const answer = await device.db.answers.get([photo.surveyId, photo.questionId]);
  if (photoIdsOf(answer?.value).includes(photoId)) {
    await queueAnswer(device, photo.surveyId, photo.questionId, (current) => ({
      value: withoutPhoto(current?.value ?? null, photoId),
      note: current?.note ?? null,
    }));
  }
  device.uploads.get(photoId)?.abort();
  await device.db.photos.delete(photoId);
}

/**
 * Marks a photo failed for good and takes its id out of its answer and out of the queued edits
 * waiting for it. The edits were never sent while they waited, so they change in place. The
 * photo row stays, so the screens show the failure and its reason until the photo is removed.
 */
export async function detachFailedPhoto(
  device: Device,
  photoId: string,
  failure: { readonly attempts: number; readonly error: string },
): Promise<void> {
  const { db } = device;
  await db.transaction('rw', [db.photos, db.answers, db.mutations], async () => {
    const photo = await db.photos.get(photoId);
    if (!photo) return;

    await db.photos.update(photoId, { status: 'failed', ...failure });
    const waiting = await db.mutations
      .where('surveyId')
      .equals(photo.surveyId)
      .filter((mutation) => mutation.waitsForMedia.includes(photoId))
      .toArray();
    for (const mutation of waiting) {
      await db.mutations.update(mutation.id, {
        value: withoutPhoto(mutation.value, photoId),
        waitsForMedia: mutation.waitsForMedia.filter((id) => id !== photoId),
      });
    }

    const key: [string, string] = [photo.surveyId, photo.questionId];
    const answer = await db.answers.get(key);
    if (answer && photoIdsOf(answer.value).includes(photoId)) {
      await db.answers.update(key, { value: withoutPhoto(answer.value, photoId) });
    }
  });
  device.notifyLocalWrite();
}

/** Returns the content type to store; throws when the file is empty, too large or no photo. */
function checkPhotoFile(file: File, questionId: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  const contentType = file.type || EXTENSION_TYPES[extension] || '';
  if (!contentType.startsWith('image/')) {
    throw new ActionError(
      'photo_type',
      `${file.name} is not a photo: choose a JPEG, PNG, WebP or HEIC image`,
      questionId,
    );
  }
  if (file.size === 0) {
    throw new ActionError(
      'photo_empty',
      `${file.name} is empty (0 bytes): take the photo again or choose another file`,
      questionId,
    );
  }
  if (file.size > MAX_PHOTO_BYTES) {
    const size = (file.size / MIB).toFixed(1);
    throw new ActionError(
      'photo_too_large',
      `${file.name} is ${size} MiB: photos may be at most ${MAX_PHOTO_BYTES / MIB} MiB`,
      questionId,
    );
  }
  return contentType;
}

function createRow(
  device: Device,
  id: string,
  surveyId: string,
  questionId: string,
  file: File,
  contentType: string,
): LocalPhoto {
  return {
    id,
    surveyId,
    questionId,
    fileName: file.name,
    contentType,
    // The original stays until the compressed copy replaces it.
    blob: file,
    thumbnail: null,
    width: null,
    height: null,
    byteSize: file.size,
    originalByteSize: file.size,
    capturedAt: null,
    latitude: null,
    longitude: null,
    createdAt: new Date(device.now()).toISOString(),
    status: 'compressing',
    bytesUploaded: 0,
    uploadUrl: null,
    attempts: 0,
    nextAttemptAt: 0,
    error: null,
  };
}

/**
 * Reads the capture facts and compresses the photo. A photo the browser cannot decode (HEIC in
 * Chromium) keeps its original bytes, which the server decodes when it accepts the type.
 */
async function preparePhoto(
  device: Device,
  id: string,
  file: File,
  contentType: string,
  questionId: string,
): Promise<void> {
  const [facts, compressed] = await Promise.all([
    readPhotoFacts(file),
    device.compressor.compress(file),
  ]);
  if (!compressed && !(ACCEPTED_IMAGE_TYPES as readonly string[]).includes(contentType)) {
    throw new ActionError(
      'photo_type',
      `${file.name} cannot be read as a photo: choose a JPEG, PNG, WebP or HEIC image`,
      questionId,
    );
  }

  await device.db.photos.update(id, {
    ...facts,
    status: 'waiting',
    ...(compressed
      ? {
          blob: compressed.blob,
          thumbnail: compressed.thumbnail,
          width: compressed.width,
          height: compressed.height,
          byteSize: compressed.blob.size,
          contentType: 'image/jpeg',
          fileName: withJpegExtension(file.name),
        }
      : {}),
  });
}

function withJpegExtension(name: string): string {
  const base = name.replace(/\.[^./\\]*$/, '');
  return `${base || 'photo'}.jpg`;
}

function photoIdsOf(value: AnswerValue | null | undefined): string[] {
  return Array.isArray(value) ? value : [];
}

/** Removes one photo id from an answer value; returns null once no photo is left. */
function withoutPhoto(value: AnswerValue | null, photoId: string): AnswerValue | null {
  if (!Array.isArray(value)) return value;

  const remaining = value.filter((id) => id !== photoId);
  return remaining.length > 0 ? remaining : null;
}
