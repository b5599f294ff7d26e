export { backoffCeilingMs, backoffDelayMs, type RetryPolicy } from './bus.backoff.ts';
export {
  defineConsumerGroup,
  type AnyConsumerGroup,
  type ConsumerGroup,
  type EventHandler,
  type HandlerContext,
  type HandlerOutcome,
} from './bus.consumer.ts';
export { PermanentError, RetryLaterError } from './bus.errors.ts';
export type { BusMetrics, RunOutcome } from './bus.metrics.ts';
export type { EmbeddedBusOptions } from './bus.options.ts';
export type { BusTables, DeliveryStatus } from './bus.schema.ts';
export {
  listDeadLetters,
  replayAllDeadLetters,
  replayDeadLetter,
  type DeadLetter,
  type ListDeadLettersOptions,
} from './dead-letter.repository.ts';
export { createEmbeddedBus, type EmbeddedBus } from './embedded-bus.ts';
export type { GroupLag } from './lag.repository.ts';
export {
  appendEvent,
  getEvent,
  isEventOf,
  toEventEnvelope,
  type NewEvent,
  type OutboxRow,
} from './outbox.repository.ts';
