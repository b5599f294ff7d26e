import { TOPICS } from '@avior/contract';
import { describe, expect, it } from 'vitest';
import { defineConsumerGroup, type AnyConsumerGroup } from './bus.consumer.ts';
import { selectActiveGroups } from './bus.groups.ts';

const handle = async () => 'done' as const;
const everyTopic: AnyConsumerGroup[] = TOPICS.map((topic) =>
  defineConsumerGroup({ name: `test.${topic}`, topic, handle }),
);
const reportGroup = defineConsumerGroup({ name: 'test.report', topic: 'report.generate', handle });

describe('selectActiveGroups', () => {
  it('accepts a group for every topic', () => {
    expect(selectActiveGroups(everyTopic)).toHaveLength(TOPICS.length);
  });

  it('names each topic that has no group', () => {
    expect(() => selectActiveGroups([reportGroup])).toThrow(
      /handles survey\.created, survey\.submitted/,
    );
  });

  it('keeps only the groups of the listed topics', () => {
    const active = selectActiveGroups(everyTopic, ['report.generate']);

    expect(active.map((group) => group.topic)).toEqual(['report.generate']);
  });

  it('rejects a listed topic with no group', () => {
    expect(() => selectActiveGroups([reportGroup], ['report.ready'])).toThrow(/report\.ready/);
  });

  it('rejects a group name used twice', () => {
    expect(() => selectActiveGroups([reportGroup, reportGroup], ['report.generate'])).toThrow(
      /used twice/,
    );
  });

  it('rejects an unknown topic', () => {
    const stray = { ...reportGroup, topic: 'report.deleted' } as unknown as AnyConsumerGroup;

    expect(() => selectActiveGroups([stray], ['report.generate'])).toThrow(/Unknown event topic/);
  });
});
