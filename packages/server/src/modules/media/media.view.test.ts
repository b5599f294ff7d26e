import { describe, expect, it } from 'vitest';
import type { MediaRow } from '../../platform/db/schema.ts';
import { derivativeFileName, toMediaView } from './media.view.ts';

const createdAt = new Date('2026-01-05T10:00:00.000Z');

const row: MediaRow = {
  id: 'media-1',
  org_id: 'org-1',
  survey_id: 'survey-1',
  question_id: 'door_photo',
  uploaded_by: 'user-1',
  file_name: 'door.HEIC',
  declared_type: 'image/heic',
  max_bytes: 1000,
  byte_size: 900,
  status: 'processed',
  failure_code: null,
  failure_reason: null,
  blob_key: 'originals/org-1/survey-1/media-1',
  detected_format: 'heic',
  metadata: {
    format: 'heic',
    width: 3024,
    height: 4032,
    storedWidth: 4032,
    storedHeight: 3024,
    orientation: 6,
    capturedAt: '2026-01-05T09:59:00+01:00',
    gps: { latitude: 51.5, longitude: -0.12, altitude: 20 },
    camera: { make: 'Apple', model: 'iPhone 13 Pro Max' },
  },
  derivatives: [
    {
      tier: 'thumb320',
      key: 'derivatives/org-1/survey-1/media-1/thumb320.webp',
      contentType: 'image/webp',
      width: 240,
      height: 320,
      bytes: 9000,
    },
  ],
  blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj',
  perceptual_hash: '0123456789abcdef',
  quality: {
    sharpness: 300,
    blurry: false,
    meanLuminance: 110,
    underExposed: false,
    overExposed: false,
    tooSmall: false,
    notes: [],
  },
  created_at: createdAt,
  uploaded_at: createdAt,
  processed_at: createdAt,
};

const sign = (key: string, fileName: string) => ({
  url: `https://blobs.example/${key}?name=${fileName}`,
  expiresAt: '2026-01-05T10:15:00.000Z',
});

describe('toMediaView', () => {
  const view = toMediaView(row, sign);

  it('signs a link for each derivative', () => {
    expect(view.derivatives[0]?.url).toBe(
      'https://blobs.example/derivatives/org-1/survey-1/media-1/thumb320.webp?name=door-thumb320.webp',
    );
  });

  it('does not expose blob keys', () => {
    expect(JSON.stringify(view)).not.toContain('originals/');
  });

  it('keeps GPS in the metadata', () => {
    expect(view.metadata?.gps).toEqual({ latitude: 51.5, longitude: -0.12, altitude: 20 });
  });

  it('leaves the stored size out of the metadata', () => {
    expect(view.metadata).not.toHaveProperty('storedWidth');
  });

  it('writes dates as ISO 8601', () => {
    expect(view.processedAt).toBe('2026-01-05T10:00:00.000Z');
  });

  it('shows no metadata or derivatives before processing', () => {
    const waiting = toMediaView(
      { ...row, status: 'uploaded', metadata: null, derivatives: null, quality: null },
      sign,
    );
    expect([waiting.metadata, waiting.derivatives, waiting.quality]).toEqual([null, [], null]);
  });
});

describe('derivativeFileName', () => {
  it.each([
    ['door.HEIC', 'door-w1024.webp'],
    ['site.photo.jpg', 'site.photo-w1024.webp'],
    ['.jpg', 'photo-w1024.webp'],
    ['no-extension', 'no-extension-w1024.webp'],
  ])('names the derivative of %s %s', (fileName, expected) => {
    const key = 'derivatives/o/s/m/w1024.webp';
    expect(derivativeFileName(fileName, { tier: 'w1024', key })).toBe(expected);
  });
});
