import { ActionError, ApiError, NetworkError, SessionExpiredError } from './errors.ts';

/**
 * Turns a failed request behind a person's action into an ActionError they can act on.
 * `action` names what they tried, e.g. 'Requesting a report'.
 */
export function toActionError(error: unknown, action: string): unknown {
  if (error instanceof NetworkError) {
    return new ActionError(
      'offline',
      `${action} needs the server, which cannot be reached: try again when online`,
    );
  }
  if (error instanceof SessionExpiredError) {
    return new ActionError('session_expired', `${action} failed: sign in again first`);
  }
  if (error instanceof ApiError) {
    return new ActionError(error.code, `${action} failed: ${error.message}`);
  }
  return error;
}
