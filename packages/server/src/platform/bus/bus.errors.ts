/**
 * Thrown by a handler that cannot finish yet (a dependency is down, a file is not there yet).
 * The delivery is retried after `delayMs`, or after the usual backoff when it is absent. The
 * attempt still counts towards the group's maximum.
 *
 * @example
 * if (!(await blobs.exists(key))) throw new RetryLaterError(`blob ${key} is missing`, 5_000);
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';

  constructor(
    message: string,
    readonly delayMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Thrown by a handler for an event that can never succeed (an invalid payload, a deleted
 * entity it must not skip). The delivery is dead-lettered at once, with no retries.
 *
 * @example
 * if (!survey) throw new PermanentError(`survey ${event.payload.surveyId} not found`);
 */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}
