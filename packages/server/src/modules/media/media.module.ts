import type { RouteRegistrar } from '../../app.ts';
import type { AnyConsumerGroup } from '../../platform/bus/bus.consumer.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AviorModule } from '../module.ts';
import { registerBlobRoutes } from './blob.routes.ts';
import { createMediaConsumers } from './media.consumers.ts';
import { createPhotoProcessor } from './media.images.ts';
import { MediaRepository } from './media.repository.ts';
import { registerMediaRoutes } from './media.routes.ts';
import { MediaService } from './media.service.ts';
import { MediaWorker } from './media.worker.ts';
import { ResumableUploads } from './media.tus.ts';
import { registerResumableUploadRoutes } from './media.tus-routes.ts';
import { PhotoUploadStore } from './media.tus-store.ts';
import { ResumableUploadService } from './resumable-upload.service.ts';

export interface MediaModule extends AviorModule {
  readonly routes: RouteRegistrar;
  readonly consumers: readonly AnyConsumerGroup[];
  /**
   * Stops the image worker threads and the sweeps of expired uploads; call it on shutdown
   * after the bus has stopped.
   */
  close(): Promise<void>;
}

/**
 * Wires the media module: upload and read routes, the resumable (tus) upload routes, the signed
 * blob routes and the `media.process` consumer group. Image worker threads start on the first
 * photo processed. The folder of partial uploads and its sweeps exist only where routes serve.
 *
 * @example
 * const media = createMediaModule(platform);
 * const app = await buildApp(platform, [media.routes]);
 * // on shutdown
 * await media.close();
 */
export function createMediaModule(platform: Platform): MediaModule {
  const { config, metrics, blobs } = platform;
  const repository = new MediaRepository(platform.db);
  const notifyCommitted = (): void => platform.notifyCommitted();
  const service = new MediaService({
    repository,
    blobs,
    signUrl: (grant, ttlSeconds) => platform.signUrl(grant, ttlSeconds),
    uploadFailures: metrics.uploadFailures,
    notifyCommitted,
    maxUploadBytes: config.maxUploadBytes,
  });

  const photos = createPhotoProcessor({
    workers: config.imageWorkers,
    limits: {
      maxBytes: config.maxUploadBytes,
      maxPixels: config.maxImagePixels,
      minShortSide: config.minPhotoShortSide,
    },
  });
  const worker = new MediaWorker({
    repository,
    blobs,
    photos,
    uploadFailures: metrics.uploadFailures,
    notifyCommitted,
    minShortSide: config.minPhotoShortSide,
  });

  let resumable: ResumableUploadParts | undefined;
  const routes: RouteRegistrar = async (app) => {
    resumable = createResumableUploads(platform, repository, service);
    resumable.uploads.startSweeps(config.uploadCleanupIntervalSeconds * 1000);
    await registerMediaRoutes(app, service, config.maxUploadBytes);
    await registerResumableUploadRoutes(app, {
      ...resumable,
      maxUploadBytes: config.maxUploadBytes,
    });
    await registerBlobRoutes(app, {
      secret: config.secret,
      blobs,
      media: service,
      maxUploadBytes: config.maxUploadBytes,
    });
  };
  return {
    name: 'media',
    routes,
    consumers: createMediaConsumers(worker, config.busMaxAttempts),
    close: async () => {
      resumable?.uploads.stopSweeps();
      await photos.close();
    },
  };
}

interface ResumableUploadParts {
  readonly uploads: ResumableUploads;
  readonly service: ResumableUploadService;
}

function createResumableUploads(
  platform: Platform,
  repository: MediaRepository,
  media: MediaService,
): ResumableUploadParts {
  const { config, metrics, logger } = platform;
  const store = PhotoUploadStore.open({
    directory: config.uploadDir,
    expirySeconds: config.uploadExpirySeconds,
    onBytesStored: (bytes) => metrics.uploadBytesReceived.inc(bytes),
  });
  const service = new ResumableUploadService({
    repository,
    blobs: platform.blobs,
    files: store,
    media,
    notifyCommitted: () => platform.notifyCommitted(),
  });
  const uploads = new ResumableUploads({
    store,
    service,
    maxUploadBytes: config.maxUploadBytes,
    logger,
  });
  return { uploads, service };
}
