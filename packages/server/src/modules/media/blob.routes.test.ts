import { describe, expect, it } from 'vitest';
import { signGrant } from '../../platform/blobs/signed-url.ts';
import { AppError } from '../../platform/errors/error-catalogue.ts';
import { attachmentDisposition, contentTypeOfKey, verifySignedRequest } from './blob.routes.ts';

const secret = 'unit-test-secret';
const inOneHour = Math.floor(Date.now() / 1000) + 3600;

function urlOf(query: string): string {
  return `/v1/blobs/upload?${query}`;
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('verifySignedRequest', () => {
  const query = signGrant(secret, {
    operation: 'put',
    key: 'originals/o/s/m',
    expiresAt: inOneHour,
    maxBytes: 100,
  });

  it('returns the grant of a valid link', () => {
    expect(verifySignedRequest(secret, urlOf(query), 'put')).toMatchObject({
      key: 'originals/o/s/m',
      maxBytes: 100,
    });
  });

  it.each([
    ['a changed key', query.replace('originals%2Fo%2Fs%2Fm', 'originals%2Fo%2Fs%2Fx')],
    ['a raised maximum', query.replace('max=100', 'max=1000000')],
    ['a changed signature', query.replace(/sig=[^&]+/, 'sig=AAAA')],
    ['an added parameter', `${query}&name=x.jpg`],
  ])('rejects %s with SIGNED_URL_INVALID', (_name, tampered) => {
    expect(codeOf(() => verifySignedRequest(secret, urlOf(tampered), 'put'))).toBe(
      'SIGNED_URL_INVALID',
    );
  });

  it('rejects a link without a signature', () => {
    expect(codeOf(() => verifySignedRequest(secret, '/v1/blobs/upload', 'put'))).toBe(
      'SIGNED_URL_INVALID',
    );
  });

  it('rejects an expired link with SIGNED_URL_EXPIRED', () => {
    const expired = signGrant(secret, { operation: 'put', key: 'k', expiresAt: inOneHour - 7200 });
    expect(codeOf(() => verifySignedRequest(secret, urlOf(expired), 'put'))).toBe(
      'SIGNED_URL_EXPIRED',
    );
  });

  it('rejects a download link used for an upload', () => {
    const download = signGrant(secret, { operation: 'get', key: 'k', expiresAt: inOneHour });
    expect(codeOf(() => verifySignedRequest(secret, urlOf(download), 'put'))).toBe(
      'SIGNED_URL_INVALID',
    );
  });

  it('rejects a link signed with another secret', () => {
    expect(codeOf(() => verifySignedRequest('other-secret', urlOf(query), 'put'))).toBe(
      'SIGNED_URL_INVALID',
    );
  });
});

describe('contentTypeOfKey', () => {
  it.each([
    ['derivatives/o/s/m/w1024.webp', 'image/webp'],
    ['derivatives/o/s/m/report.jpg', 'image/jpeg'],
    ['reports/o/s/report.PDF', 'application/pdf'],
    ['originals/o/s/m', 'application/octet-stream'],
    ['originals/o.v1/s/m', 'application/octet-stream'],
  ])('serves %s as %s', (key, expected) => {
    expect(contentTypeOfKey(key)).toBe(expected);
  });
});

describe('attachmentDisposition', () => {
  it('quotes a plain name', () => {
    expect(attachmentDisposition('door.webp')).toBe(
      `attachment; filename="door.webp"; filename*=UTF-8''door.webp`,
    );
  });

  it('keeps a non-ASCII name in filename*', () => {
    expect(attachmentDisposition('Tür "A".webp')).toBe(
      `attachment; filename="T_r _A_.webp"; filename*=UTF-8''T%C3%BCr%20%22A%22.webp`,
    );
  });
});
