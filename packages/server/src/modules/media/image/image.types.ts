/** Image container formats accepted for upload, detected from the bytes. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'heic';

/** Resized copies written for every photo. */
export type DerivativeTier = 'w2048' | 'w1024' | 'thumb320' | 'report';

/** One resized, metadata-free copy of a photo. */
export interface ImageDerivative {
  readonly tier: DerivativeTier;
  readonly format: 'webp' | 'jpeg';
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: Buffer;
}

/** Latitude and longitude in decimal degrees (WGS 84), altitude in metres above sea level. */
export interface GpsPosition {
  readonly latitude: number;
  readonly longitude: number;
  readonly altitude: number | null;
}

/** Facts read from the original file, kept even though the derivatives carry no metadata. */
export interface ImageMetadata {
  readonly format: ImageFormat;
  /** Width of the upright image, after the orientation is applied. */
  readonly width: number;
  /** Height of the upright image, after the orientation is applied. */
  readonly height: number;
  /** Width of the pixels as coded in the file, before any rotation. */
  readonly storedWidth: number;
  /** Height of the pixels as coded in the file, before any rotation. */
  readonly storedHeight: number;
  /**
   * EXIF Orientation tag (1 to 8), or null when the file has none. The derivatives are already
   * upright. In an iPhone HEIC the tag restates the `irot` rotation that libheif applied.
   */
  readonly orientation: number | null;
  /** Local capture time from EXIF DateTimeOriginal in ISO 8601, with the UTC offset when the file has one. */
  readonly capturedAt: string | null;
  readonly gps: GpsPosition | null;
  readonly camera: { readonly make: string | null; readonly model: string | null } | null;
}

/** Automatic checks that tell an inspector to retake a photo. */
export interface ImageQuality {
  /** Variance of the Laplacian on a greyscale copy whose longest side is at most 1024 px. */
  readonly sharpness: number;
  readonly blurry: boolean;
  /** Mean luma from 0 (black) to 255 (white). */
  readonly meanLuminance: number;
  readonly underExposed: boolean;
  readonly overExposed: boolean;
  readonly tooSmall: boolean;
  /** One readable sentence per failed check. */
  readonly notes: readonly string[];
}

/** Everything produced from one uploaded photo. */
export interface ProcessedImage {
  readonly metadata: ImageMetadata;
  readonly derivatives: readonly ImageDerivative[];
  readonly blurhash: string;
  /** 64-bit DCT perceptual hash as 16 lowercase hex digits. */
  readonly perceptualHash: string;
  readonly quality: ImageQuality;
}

/** Upload limits, checked before any pixel is decoded. */
export interface ImageLimits {
  readonly maxBytes: number;
  /** Maximum width x height of the stored image. */
  readonly maxPixels: number;
  /** Shortest side in pixels below which a photo is reported as too small. */
  readonly minShortSide: number;
}
