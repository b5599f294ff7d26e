export { detectImageFormat } from './image.format.ts';
export { IMAGE_REJECTION_STATUS, ImageRejectedError, ImageWorkerError } from './image.errors.ts';
export type { ImageRejectionCode } from './image.errors.ts';
export { hammingDistance, isNearDuplicate, NEAR_DUPLICATE_MAX_DISTANCE } from './image.phash.ts';
export { createImageProcessorPool } from './image.pool.ts';
export type { ImageProcessorPool, ImageProcessorPoolOptions } from './image.pool.ts';
export { processImage } from './image.processor.ts';
export { QUALITY_THRESHOLDS } from './image.quality.ts';
export type {
  DerivativeTier,
  GpsPosition,
  ImageDerivative,
  ImageFormat,
  ImageLimits,
  ImageMetadata,
  ImageQuality,
  ProcessedImage,
} from './image.types.ts';
