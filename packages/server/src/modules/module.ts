import type { RouteRegistrar } from '../app.ts';
import type { AnyConsumerGroup } from '../platform/bus/bus.consumer.ts';

/** What a module adds to a process: HTTP routes, event consumers, and resources to release. */
export interface AviorModule {
  readonly name: string;
  readonly routes?: RouteRegistrar;
  readonly consumers?: readonly AnyConsumerGroup[];
  close?(): Promise<void>;
}
