import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** The W3C trace context of the work in progress: a request, or an event's handler. */
export interface TraceContext {
  /** `00-<trace id>-<span id>-<flags>`, as in the W3C Trace Context `traceparent` header. */
  readonly traceparent: string;
  readonly traceId: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

const storage = new AsyncLocalStorage<TraceContext>();

/**
 * Continues the trace of an incoming `traceparent` with a new span, or starts a new trace when
 * there is none or it is malformed (W3C Trace Context, level 1).
 */
export function continueTrace(traceparent: string | null | undefined): TraceContext {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  const traceId = match?.[1] ?? randomBytes(16).toString('hex');
  const flags = match?.[3] ?? '01';
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-${flags}` };
}

/** Makes `context` current for the rest of this asynchronous flow (a request's hooks and handler). */
export function enterTrace(context: TraceContext): void {
  storage.enterWith(context);
}

/** Runs `work` with `context` current, so events it appends carry the same trace. */
export function runInTrace<T>(context: TraceContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}
