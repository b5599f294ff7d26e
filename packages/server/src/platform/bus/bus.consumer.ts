import type { EventEnvelope, Topic } from '@avior/contract';
import type { Logger } from 'pino';

/** Outcome a handler returns for an event it handled without failing. */
export type HandlerOutcome = 'done' | 'skipped';

export interface HandlerContext {
  /** Id of the event. Key the handler's own writes on it so a second run has no effect. */
  readonly eventId: string;
  /** 1 on the first run, raised by each retry and by each run after a lost lease. */
  readonly attempt: number;
  readonly group: string;
  /** Logger bound to eventId, topic, group and attempt. */
  readonly logger: Logger;
}

export type EventHandler<T extends Topic> = (
  event: EventEnvelope<T>,
  ctx: HandlerContext,
) => Promise<HandlerOutcome>;

/**
 * A named subscriber to one topic. Each group receives every event of its topic once, however
 * many processes run it, and two groups on one topic each receive it.
 */
export interface ConsumerGroup<T extends Topic = Topic> {
  /** Stable name: the group's cursor and deliveries are stored under it. */
  readonly name: string;
  readonly topic: T;
  readonly handle: EventHandler<T>;
}

/** A consumer group of any topic, with the handler typed for that topic. */
export type AnyConsumerGroup = { [T in Topic]: ConsumerGroup<T> }[Topic];

/**
 * Declares a consumer group with its handler typed by the topic.
 *
 * @example
 * const notifyOnSubmit = defineConsumerGroup({
 *   name: 'notifications.on-survey-submitted',
 *   topic: 'survey.submitted',
 *   handle: async (event, ctx) => {
 *     await notifications.sendForSubmission(event.payload.surveyId, ctx.eventId);
 *     return 'done';
 *   },
 * });
 */
export function defineConsumerGroup<T extends Topic>(group: ConsumerGroup<T>): AnyConsumerGroup {
  return group as unknown as AnyConsumerGroup;
}
