import type { Device } from './device.ts';
import { ApiError } from './errors.ts';
import { readMeta } from './local-data.ts';

// Revoking the refresh cookie on sign-out. The cookie is httpOnly, so only the server can end
// it. When the server cannot be reached, meta 'signOutPending' records the sign-out: the app
// then refuses to restore a session from the cookie, and revokes it once the network is back.

const onlineListeners = new WeakMap<Device, () => void>();

/**
 * Calls POST /v1/auth/logout. Returns true when the server handled it: revoked, or refused
 * because the cookie was already invalid. Returns false when it was not reached or failed (5xx).
 */
export async function revokeSession(device: Device): Promise<boolean> {
  try {
    await device.api.post<unknown>('/v1/auth/logout', {}, { auth: false });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) return true;

    device.logger.warn('sign-out could not revoke the session on the server', error);
    return false;
  }
}

export async function hasPendingSignOut(device: Device): Promise<boolean> {
  return (await readMeta<boolean>(device.db, 'signOutPending')) === true;
}

/** Records a sign-out the server has not seen yet and revokes the cookie when back online. */
export async function rememberPendingSignOut(device: Device): Promise<void> {
  await device.db.meta.put({ key: 'signOutPending', value: true });
  revokeWhenOnline(device);
}

/** Revokes the cookie of a pending sign-out; the record stays when the server is not reached. */
export async function finishPendingSignOut(device: Device): Promise<void> {
  if (!(await hasPendingSignOut(device))) return;

  if (await revokeSession(device)) await clearPendingSignOut(device);
  else revokeWhenOnline(device);
}

export async function clearPendingSignOut(device: Device): Promise<void> {
  stopWaitingForNetwork(device);
  await device.db.meta.delete('signOutPending');
}

function revokeWhenOnline(device: Device): void {
  if (typeof window === 'undefined' || onlineListeners.has(device)) return;

  const listener = () => {
    stopWaitingForNetwork(device);
    finishPendingSignOut(device).catch((error: unknown) => {
      device.logger.warn('pending sign-out could not be finished', error);
    });
  };
  onlineListeners.set(device, listener);
  window.addEventListener('online', listener);
}

function stopWaitingForNetwork(device: Device): void {
  const listener = onlineListeners.get(device);
  if (!listener) return;

  onlineListeners.delete(device);
  if (typeof window !== 'undefined') window.removeEventListener('online', listener);
}
