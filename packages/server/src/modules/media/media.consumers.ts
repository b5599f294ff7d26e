import { defineConsumerGroup, type AnyConsumerGroup } from '../../platform/bus/bus.consumer.ts';
import type { MediaWorker } from './media.worker.ts';

/** Name of the group that processes uploaded photos; its cursor and deliveries are stored under it. */
export const MEDIA_PROCESS_GROUP = 'media.process';

/** Consumer groups of the media module. */
export function createMediaConsumers(worker: MediaWorker, maxAttempts: number): AnyConsumerGroup[] {
  return [
    defineConsumerGroup({
      name: MEDIA_PROCESS_GROUP,
      topic: 'media.uploaded',
      handle: (event, ctx) =>
        worker.process(event.orgId, event.payload.mediaId, {
          logger: ctx.logger,
          traceparent: event.traceparent,
          attempt: ctx.attempt,
          maxAttempts,
        }),
    }),
  ];
}
