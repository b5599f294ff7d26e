import { describe, expect, it } from 'vitest';
import {
  NEAR_DUPLICATE_MAX_DISTANCE,
  QUALITY_THRESHOLDS,
  type ImageQuality,
} from './image/index.ts';
import { buildQualityFindings, findClosestDuplicate, type HashedPhoto } from './media.findings.ts';

const goodQuality: ImageQuality = {
  sharpness: 500,
  blurry: false,
  meanLuminance: 120,
  underExposed: false,
  overExposed: false,
  tooSmall: false,
  notes: [],
};

const metadata = { width: 4032, height: 3024 };

function findingsFor(quality: Partial<ImageQuality>, size = metadata) {
  return buildQualityFindings({
    quality: { ...goodQuality, ...quality },
    metadata: size,
    minShortSide: 480,
    duplicate: null,
  });
}

describe('buildQualityFindings', () => {
  it('finds nothing in a good photo', () => {
    expect(findingsFor({})).toEqual([]);
  });

  it.each([
    ['blurry', { blurry: true, sharpness: 12 }, 'low'],
    ['under_exposed', { underExposed: true, meanLuminance: 20 }, 'low'],
    ['over_exposed', { overExposed: true, meanLuminance: 240 }, 'low'],
    ['too_small', { tooSmall: true }, 'medium'],
  ] as const)('raises %s as %s', (code, quality, severity) => {
    const [finding] = findingsFor(quality);
    expect(finding?.code).toBe(code);
    expect(finding?.severity).toBe(severity);
  });

  it('puts the measure and threshold of a blurry photo in its evidence', () => {
    const [finding] = findingsFor({ blurry: true, sharpness: 12 });
    expect(finding?.evidence).toEqual({
      sharpness: 12,
      minSharpness: QUALITY_THRESHOLDS.minSharpness,
    });
  });

  it('puts the size and minimum of a small photo in its evidence', () => {
    const [finding] = findingsFor({ tooSmall: true }, { width: 59, height: 100 });
    expect(finding?.evidence).toEqual({ width: 59, height: 100, shortSide: 59, minShortSide: 480 });
  });

  it('names the figures in the message', () => {
    const [finding] = findingsFor({ tooSmall: true }, { width: 59, height: 100 });
    expect(finding?.message).toContain('59 x 100');
  });

  it('raises a duplicate as info naming the other photo', () => {
    const photo = { mediaId: 'media-0', fileName: 'door.jpg', perceptualHash: '0'.repeat(16) };
    const findings = buildQualityFindings({
      quality: goodQuality,
      metadata,
      minShortSide: 480,
      duplicate: { photo, distance: 3 },
    });
    expect(findings).toEqual([
      {
        code: 'duplicate',
        severity: 'info',
        message: expect.stringContaining('door.jpg') as string,
        evidence: {
          otherMediaId: 'media-0',
          otherFileName: 'door.jpg',
          hammingDistance: 3,
          maxDistance: NEAR_DUPLICATE_MAX_DISTANCE,
        },
      },
    ]);
  });

  it('lists several problems in a fixed order', () => {
    const codes = findingsFor({ tooSmall: true, blurry: true }).map((finding) => finding.code);
    expect(codes).toEqual(['blurry', 'too_small']);
  });
});

describe('findClosestDuplicate', () => {
  const hash = '0000000000000000';
  const photos: HashedPhoto[] = [
    { mediaId: 'far', fileName: 'far.jpg', perceptualHash: 'ffffffffffffffff' },
    { mediaId: 'near', fileName: 'near.jpg', perceptualHash: '0000000000000007' },
    { mediaId: 'nearest', fileName: 'nearest.jpg', perceptualHash: '0000000000000001' },
  ];

  it('picks the closest photo within the distance', () => {
    expect(findClosestDuplicate(hash, photos)?.photo.mediaId).toBe('nearest');
  });

  it('reports the distance in bits', () => {
    expect(findClosestDuplicate(hash, photos)?.distance).toBe(1);
  });

  it('returns null when every photo is too far', () => {
    expect(findClosestDuplicate(hash, photos.slice(0, 1))).toBeNull();
  });

  it('returns null without other photos', () => {
    expect(findClosestDuplicate(hash, [])).toBeNull();
  });
});
