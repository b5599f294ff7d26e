// Errors of the data layer. Screens catch ActionError and show its message; the sync engine
// sorts the others into "retry later" (NetworkError, ApiError with isTransient) and "final".

/** Why an action was refused, in words a person can act on, naming the field when there is one. */
export class ActionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

/** A JSON error response of the API: `{ code, message, details }` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    /** Milliseconds the server asked the client to wait (Retry-After header), when sent. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True for statuses that may succeed when sent again later: 408, 429 and 5xx. */
  get isTransient(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** The request did not reach the server or got no answer: no network, refused, timed out. */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/** The server rejected the saved session (the refresh token is missing, expired or revoked). */
export class SessionExpiredError extends Error {
  constructor() {
    super('The session has expired: sign in again to send changes to the server');
    this.name = 'SessionExpiredError';
  }
}

/** True when an error means "try again later" rather than "this will never work". */
export function isRetryable(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  return error instanceof ApiError && error.isTransient;
}

/** Describes a retryable failure for the retry schedule (see retry.ts). */
export function describeFailure(error: unknown): {
  message: string;
  retryAfterMs: number | null;
  responded: boolean;
} {
  return {
    message: describeError(error),
    retryAfterMs: error instanceof ApiError ? error.retryAfterMs : null,
    responded: !(error instanceof NetworkError),
  };
}

/** The message of any thrown value, for storing in a queue row or the sync state. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
