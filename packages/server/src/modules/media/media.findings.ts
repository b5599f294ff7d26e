import {
  hammingDistance,
  NEAR_DUPLICATE_MAX_DISTANCE,
  QUALITY_THRESHOLDS,
  type ImageMetadata,
  type ImageQuality,
} from './image/index.ts';

export type QualityFindingCode =
  'blurry' | 'under_exposed' | 'over_exposed' | 'too_small' | 'duplicate';

/** A photo problem, stored as a finding of source `photo_quality`. */
export interface QualityFinding {
  readonly code: QualityFindingCode;
  readonly severity: 'info' | 'low' | 'medium';
  readonly message: string;
  /** The measured figures and the thresholds they were compared with. */
  readonly evidence: Readonly<Record<string, string | number>>;
}

/** Another processed photo of the same survey, compared by perceptual hash. */
export interface HashedPhoto {
  readonly mediaId: string;
  readonly fileName: string;
  readonly perceptualHash: string;
}

export interface DuplicateMatch {
  readonly photo: HashedPhoto;
  readonly distance: number;
}

export interface QualityInput {
  readonly quality: ImageQuality;
  readonly metadata: Pick<ImageMetadata, 'width' | 'height'>;
  readonly minShortSide: number;
  readonly duplicate: DuplicateMatch | null;
}

/**
 * Returns the closest photo within NEAR_DUPLICATE_MAX_DISTANCE bits of `hash`, or null. Only
 * the closest one is named, so a photo taken five times yields one finding, not four.
 */
export function findClosestDuplicate(
  hash: string,
  others: readonly HashedPhoto[],
): DuplicateMatch | null {
  let closest: DuplicateMatch | null = null;
  for (const photo of others) {
    const distance = hammingDistance(hash, photo.perceptualHash);
    if (distance > NEAR_DUPLICATE_MAX_DISTANCE) continue;
    if (!closest || distance < closest.distance) closest = { photo, distance };
  }

  return closest;
}

function blurryFinding(quality: ImageQuality): QualityFinding {
  const { minSharpness } = QUALITY_THRESHOLDS;
  return {
    code: 'blurry',
    severity: 'low',
    message: `Photo is blurry: its sharpness is ${quality.sharpness}, below ${minSharpness}. Retake it with the camera held still.`,
    evidence: { sharpness: quality.sharpness, minSharpness },
  };
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function underExposedFinding(quality: ImageQuality): QualityFinding {
  const { darkMeanLuminance, blackClip, maxBlackShare } = QUALITY_THRESHOLDS;
  return {
    code: 'under_exposed',
    severity: 'low',
    message: `Photo is too dark: its mean brightness is ${quality.meanLuminance} of 255, and photos below ${darkMeanLuminance} or with ${percent(maxBlackShare)} of pixels black are flagged. Retake it with more light.`,
    evidence: { meanLuminance: quality.meanLuminance, darkMeanLuminance, blackClip, maxBlackShare },
  };
}

function overExposedFinding(quality: ImageQuality): QualityFinding {
  const { brightMeanLuminance, whiteClip, maxWhiteShare } = QUALITY_THRESHOLDS;
  return {
    code: 'over_exposed',
    severity: 'low',
    message: `Photo is too bright: its mean brightness is ${quality.meanLuminance} of 255, and photos above ${brightMeanLuminance} or with ${percent(maxWhiteShare)} of pixels white are flagged. Retake it out of direct light.`,
    evidence: {
      meanLuminance: quality.meanLuminance,
      brightMeanLuminance,
      whiteClip,
      maxWhiteShare,
    },
  };
}

function tooSmallFinding(input: QualityInput): QualityFinding {
  const { width, height } = input.metadata;
  const shortSide = Math.min(width, height);
  return {
    code: 'too_small',
    severity: 'medium',
    message: `Photo is too small: ${width} x ${height} pixels, and its short side of ${shortSide} px is below ${input.minShortSide} px. Retake it at full resolution.`,
    evidence: { width, height, shortSide, minShortSide: input.minShortSide },
  };
}

function duplicateFinding(match: DuplicateMatch): QualityFinding {
  const { photo, distance } = match;
  return {
    code: 'duplicate',
    severity: 'info',
    message: `Photo looks like a duplicate of ${photo.fileName} (media ${photo.mediaId}): their perceptual hashes differ in ${distance} of 64 bits.`,
    evidence: {
      otherMediaId: photo.mediaId,
      otherFileName: photo.fileName,
      hammingDistance: distance,
      maxDistance: NEAR_DUPLICATE_MAX_DISTANCE,
    },
  };
}

/** Lists one finding per problem the image checks found, in a fixed order. */
export function buildQualityFindings(input: QualityInput): readonly QualityFinding[] {
  const { quality, duplicate } = input;
  const findings: QualityFinding[] = [];
  if (quality.blurry) findings.push(blurryFinding(quality));
  if (quality.underExposed) findings.push(underExposedFinding(quality));
  if (quality.overExposed) findings.push(overExposedFinding(quality));
  if (quality.tooSmall) findings.push(tooSmallFinding(input));
  if (duplicate) findings.push(duplicateFinding(duplicate));

  return findings;
}
