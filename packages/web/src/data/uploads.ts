import { Upload, type DetailedError } from 'tus-js-client';
import type { LocalPhoto } from './db.ts';
import type { Device } from './device.ts';
import { NetworkError, describeError } from './errors.ts';
import { detachFailedPhoto } from './photos.ts';
import { scheduleRetry } from './retry.ts';
import { compareText } from './queue.ts';

// Uploads photos with the tus resumable upload protocol (tus-js-client) to /v1/uploads.
//
// Photo status: compressing (being prepared on the device) -> waiting -> uploading -> uploaded,
// or failed. The photo's id is the media id on the server, sent in Upload-Metadata, so a photo
// uploaded twice stays one media row. The upload URL and the bytes the server confirmed are
// stored in the photo row after every chunk, so a reload or a cut network resumes where the
// upload stopped instead of starting over.
//
// Outcomes:
//   success, or 409 MEDIA_ALREADY_UPLOADED   uploaded (the server has the photo);
//   404 or 410 on the stored upload URL      the server expired it: start afresh, same media id;
//   409 UPLOAD_OFFSET_MISMATCH               resume once more from the server's offset;
//   400, 403, 413, 415, MEDIA_ID_CONFLICT    failed for good, with the server's message, and
//                                            taken out of its answer (photos.ts);
//   401                                      renew the access token and try once more;
//   anything else (network, 5xx, 423, 429)   retry later on the photo's own schedule.
// One or two photos upload at a time. The step starts new uploads only within a time budget,
// so a long list of photos does not hold back pushes and pulls; the next round goes on.

const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** localStorage key that overrides the chunk size in bytes (tests force small chunks). */
export const CHUNK_SIZE_SETTING = 'avior.uploadChunkBytes';
const CONCURRENT_UPLOADS = 2;
const STEP_BUDGET_MS = 120_000;
// No progress for this long means the connection hangs; the upload is cut and retried.
const STALL_TIMEOUT_MS = 60_000;
const FINAL_STATUSES = new Set([400, 403, 413, 415]);
const EXPIRED_STATUSES = new Set([404, 410]);

type UploadOutcome = 'uploaded' | 'restart' | 'resume' | 'final' | 'unauthorized' | 'retry';

interface UploadFailure {
  readonly outcome: UploadOutcome;
  readonly message: string;
  /** False when the upload server never responded. */
  readonly responded: boolean;
}

/** Uploads due photos; returns how many reached the server. Throws when the network is gone. */
export async function uploadPhotos(device: Device): Promise<number> {
  const startedAt = device.now();
  const queue = await listDuePhotos(device);
  const total = queue.length;
  let uploaded = 0;
  let stopError: unknown = null;

  const lane = async () => {
    for (let photo = queue.shift(); photo; photo = queue.shift()) {
      if (stopError || device.now() - startedAt > STEP_BUDGET_MS) return;
      try {
        if (await uploadOne(device, photo.id)) uploaded += 1;
      } catch (error) {
        stopError = error;
      }
      device.sync.update({ progress: { done: total - queue.length, total } });
    }
  };
  if (total > 0) device.sync.update({ progress: { done: 0, total } });
  await Promise.all(Array.from({ length: CONCURRENT_UPLOADS }, lane));
  device.sync.update({ upload: null, progress: null });
  if (stopError) throw stopError;
  return uploaded;
}

async function listDuePhotos(device: Device): Promise<LocalPhoto[]> {
  const now = device.now();
  const photos = await device.db.photos.where('status').anyOf('waiting', 'uploading').toArray();
  return photos
    .filter((photo) => photo.nextAttemptAt <= now && photo.blob && !device.uploads.has(photo.id))
    .sort((a, b) => compareText(a.createdAt, b.createdAt));
}

/**
 * Uploads one photo, renewing the token or restarting an expired upload once each. Returns
 * true when the server has the photo; throws NetworkError when the network is gone.
 */
async function uploadOne(device: Device, photoId: string): Promise<boolean> {
  let renewed = false;
  let restarted = false;
  let resumed = false;
  for (;;) {
    const photo = await device.db.photos.get(photoId);
    if (!photo?.blob || photo.status === 'uploaded' || photo.status === 'failed') return false;

    await device.db.photos.update(photoId, { status: 'uploading' });
    const failure = await runUpload(device, photo, photo.blob);
    if (!failure) return markUploaded(device, photoId);

    if (failure.outcome === 'unauthorized' && !renewed) {
      renewed = true;
      await device.api.renewOrThrow();
      continue;
    }
    if (failure.outcome === 'resume' && !resumed) {
      resumed = true;
      continue;
    }
    if (failure.outcome === 'restart' && !restarted) {
      restarted = true;
      await device.db.photos.update(photoId, { uploadUrl: null, bytesUploaded: 0 });
      continue;
    }
    return recordFailure(device, photo, failure);
  }
}

async function markUploaded(device: Device, photoId: string): Promise<boolean> {
  const photo = await device.db.photos.get(photoId);
  await device.db.photos.update(photoId, {
    status: 'uploaded',
    bytesUploaded: photo?.byteSize ?? 0,
    uploadUrl: null,
    error: null,
  });
  return true;
}

async function recordFailure(
  device: Device,
  photo: LocalPhoto,
  failure: UploadFailure,
): Promise<boolean> {
  if (failure.outcome === 'uploaded') return markUploaded(device, photo.id);

  if (failure.outcome !== 'final') {
    const retry = scheduleRetry(photo.attempts, device.now(), failure, device.random);
    await device.db.photos.update(photo.id, {
      status: retry.exhausted ? 'failed' : 'waiting',
      attempts: retry.attempts,
      nextAttemptAt: retry.nextAttemptAt,
      error: retry.error,
    });
    if (failure.outcome === 'retry' && isOffline()) throw new NetworkError(failure.message);
    return false;
  }

  await detachFailedPhoto(device, photo.id, {
    attempts: photo.attempts + 1,
    error: failure.message,
  });
  return false;
}

/** Runs one tus upload to its end; resolves null on success or the reason it stopped. */
async function runUpload(
  device: Device,
  photo: LocalPhoto,
  blob: Blob,
): Promise<UploadFailure | null> {
  await device.api.currentToken();

  return new Promise<UploadFailure | null>((resolve) => {
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const finish = (failure: UploadFailure | null) => {
      clearTimeout(watchdog);
      device.uploads.delete(photo.id);
      resolve(failure);
    };
    const upload = new Upload(blob, {
      endpoint: device.api.url('/v1/uploads'),
      uploadUrl: photo.uploadUrl,
      chunkSize: readChunkSize(device),
      metadata: buildMetadata(photo),
      retryDelays: null,
      storeFingerprintForResuming: false,
      fingerprint: () => Promise.resolve(''),
      // Browsers read a Blob with tus-js-client's own reader; Node (the unit tests) cannot.
      ...(IN_BROWSER ? {} : { fileReader: blobReader }),
      onBeforeRequest: (request) => {
        request.setHeader('Authorization', `Bearer ${device.api.accessToken ?? ''}`);
      },
      onUploadUrlAvailable: () => {
        void device.db.photos.update(photo.id, { uploadUrl: upload.url });
      },
      onProgress: (bytesSent, bytesTotal) => {
        armWatchdog();
        device.sync.update({
          upload: { photoId: photo.id, bytesUploaded: bytesSent, byteSize: bytesTotal },
        });
      },
      onChunkComplete: (_chunkSize, bytesAccepted) => {
        void device.db.photos.update(photo.id, { bytesUploaded: bytesAccepted });
      },
      onSuccess: () => finish(null),
      onError: (error) => finish(classifyError(error)),
    });
    const armWatchdog = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        void upload.abort();
        finish({
          outcome: 'retry',
          message: 'the upload stalled: no progress for 60 s',
          responded: false,
        });
      }, STALL_TIMEOUT_MS);
    };

    device.uploads.set(photo.id, {
      abort: () => {
        void upload.abort();
        finish({ outcome: 'final', message: 'the upload was cancelled', responded: false });
      },
    });
    armWatchdog();
    upload.start();
  });
}

function readChunkSize(device: Device): number {
  const configured = Number(device.settings?.getItem(CHUNK_SIZE_SETTING));
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_CHUNK_BYTES;
}

/** Upload-Metadata of a photo; absent facts are left out rather than sent empty. */
function buildMetadata(photo: LocalPhoto): Record<string, string> {
  const metadata: Record<string, string> = {
    mediaId: photo.id,
    surveyId: photo.surveyId,
    questionId: photo.questionId,
    filename: photo.fileName,
    filetype: photo.contentType,
  };
  if (photo.capturedAt) metadata.capturedAt = photo.capturedAt;
  if (photo.latitude !== null) metadata.latitude = String(photo.latitude);
  if (photo.longitude !== null) metadata.longitude = String(photo.longitude);
  return metadata;
}

function classifyError(error: Error | DetailedError): UploadFailure {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  if (!response) return { outcome: 'retry', message: describeError(error), responded: false };

  const status = response.getStatus();
  const body = parseErrorBody(response.getBody());
  const message = body.message ?? `the upload server responded with HTTP ${status}`;
  return { outcome: decideOutcome(status, body.code), message, responded: true };
}

function decideOutcome(status: number, code: string | undefined): UploadOutcome {
  if (code === 'MEDIA_ALREADY_UPLOADED') return 'uploaded';
  if (code === 'UPLOAD_OFFSET_MISMATCH') return 'resume';
  // NOTE: a clash of media ids would need the photo renamed everywhere. UUIDv7 ids make it
  // unlikely, so the photo just fails and the inspector removes it and adds it again.
  if (code === 'MEDIA_ID_CONFLICT') return 'final';
  if (EXPIRED_STATUSES.has(status)) return 'restart';
  if (FINAL_STATUSES.has(status)) return 'final';
  if (status === 401) return 'unauthorized';
  return 'retry';
}

function parseErrorBody(text: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(text) as { code?: unknown; message?: unknown };
    return {
      ...(typeof parsed.code === 'string' ? { code: parsed.code } : {}),
      ...(typeof parsed.message === 'string' ? { message: parsed.message } : {}),
    };
  } catch {
    return text ? { message: text.slice(0, 300) } : {};
  }
}

function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

/**
 * Reads chunks of a Blob as bytes. tus-js-client's own readers take a Blob only in browsers
 * and a Buffer only in Node; bytes work with both of its HTTP stacks. tus-js-client 4 reads a
 * chunk's length from `size`, as a Blob has it, so the bytes carry that property too.
 */
const IN_BROWSER = typeof window !== 'undefined' && typeof document !== 'undefined';

const blobReader = {
  openFile(input: Blob) {
    return Promise.resolve({
      size: input.size,
      async slice(start: number, end: number) {
        const bytes = new Uint8Array(await input.slice(start, end).arrayBuffer());
        return { value: Object.assign(bytes, { size: bytes.length }), done: end >= input.size };
      },
      close() {
        // Nothing to release: the Blob stays in the database.
      },
    });
  },
};
