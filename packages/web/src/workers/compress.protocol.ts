// Messages between the page and the photo compression worker.

export interface CompressRequest {
  readonly id: number;
  readonly file: Blob;
  /** Maximum length of the upload copy's longer side, in pixels. */
  readonly maxSide: number;
  /** Maximum length of the preview copy's longer side, in pixels. */
  readonly thumbnailSide: number;
  /** JPEG quality from 0 to 1. */
  readonly quality: number;
}

export type CompressResponse =
  | {
      readonly id: number;
      readonly outcome: 'compressed';
      readonly blob: Blob;
      readonly thumbnail: Blob;
      /** Size of the upload copy, upright. */
      readonly width: number;
      readonly height: number;
    }
  | {
      /** The browser cannot decode the file (HEIC in Chromium, say) or has no OffscreenCanvas. */
      readonly id: number;
      readonly outcome: 'undecodable' | 'failed';
      readonly message: string;
    };
