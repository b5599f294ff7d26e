import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed link allows: one operation on one blob key until `expiresAt` (Unix seconds). */
export interface SignedGrant {
  readonly operation: 'put' | 'get';
  readonly key: string;
  readonly expiresAt: number;
  /** Largest body accepted by a `put`, in bytes. */
  readonly maxBytes?: number;
  /** File name suggested to the browser by a `get`. */
  readonly fileName?: string;
}

export type SignedUrlCheck =
  | { readonly ok: true; readonly grant: SignedGrant }
  | {
      readonly ok: false;
      readonly reason: 'missing' | 'tampered' | 'expired';
      readonly expiredAt?: string;
    };

/** Signs a grant with HMAC-SHA256 and returns its query string. */
export function signGrant(secret: string, grant: SignedGrant): string {
  const params = new URLSearchParams({
    op: grant.operation,
    key: grant.key,
    exp: String(grant.expiresAt),
  });
  if (grant.maxBytes !== undefined) params.set('max', String(grant.maxBytes));
  if (grant.fileName !== undefined) params.set('name', grant.fileName);
  params.set('sig', sign(secret, params));
  return params.toString();
}

/** Checks a signed query; the signature covers every parameter, so none can be changed. */
export function verifyGrant(
  secret: string,
  query: URLSearchParams,
  now = Date.now(),
): SignedUrlCheck {
  const signature = query.get('sig');
  const operation = query.get('op');
  const key = query.get('key');
  const expiresAt = Number(query.get('exp'));
  if (!signature || !key || (operation !== 'put' && operation !== 'get') || !expiresAt) {
    return { ok: false, reason: 'missing' };
  }

  const unsigned = new URLSearchParams(query);
  unsigned.delete('sig');
  if (!safeEqual(signature, sign(secret, unsigned))) return { ok: false, reason: 'tampered' };
  if (expiresAt * 1000 < now) {
    return { ok: false, reason: 'expired', expiredAt: new Date(expiresAt * 1000).toISOString() };
  }

  const maxBytes = query.get('max');
  const fileName = query.get('name');
  return {
    ok: true,
    grant: {
      operation,
      key,
      expiresAt,
      ...(maxBytes ? { maxBytes: Number(maxBytes) } : {}),
      ...(fileName ? { fileName } : {}),
    },
  };
}

function sign(secret: string, params: URLSearchParams): string {
  const canonical = [...params.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');
  return createHmac('sha256', secret).update(canonical).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
