import { TOPICS, type Topic } from '@avior/contract';
import type { AnyConsumerGroup } from './bus.consumer.ts';

/**
 * Picks the groups a worker consumes and checks that each topic has a consumer, so an event
 * cannot sit in the outbox with nothing to handle it. Without `topics` every topic must have a
 * group. With it, only the listed topics are checked and only their groups are returned.
 *
 * @example
 * selectActiveGroups(groups, ['report.generate']); // a worker that only renders reports
 */
export function selectActiveGroups(
  groups: readonly AnyConsumerGroup[],
  topics?: readonly Topic[],
): readonly AnyConsumerGroup[] {
  assertUniqueNames(groups);
  assertKnownTopics(groups.map((group) => group.topic));
  if (topics) assertKnownTopics(topics);

  const consumed = topics ?? TOPICS;
  const active = groups.filter((group) => consumed.includes(group.topic));
  const uncovered = consumed.filter((topic) => !active.some((group) => group.topic === topic));
  if (uncovered.length > 0) {
    throw new Error(
      `Event bus cannot start: no consumer group handles ${uncovered.join(', ')}. Add a group ` +
        'for each topic, or pass `topics` to run a worker for some topics only',
    );
  }

  return active;
}

function assertUniqueNames(groups: readonly AnyConsumerGroup[]): void {
  const seen = new Set<string>();
  for (const group of groups) {
    if (seen.has(group.name)) throw new Error(`Consumer group name ${group.name} is used twice`);
    seen.add(group.name);
  }
}

function assertKnownTopics(topics: readonly string[]): void {
  const unknown = topics.filter((topic) => !(TOPICS as readonly string[]).includes(topic));
  if (unknown.length > 0) throw new Error(`Unknown event topic: ${unknown.join(', ')}`);
}
