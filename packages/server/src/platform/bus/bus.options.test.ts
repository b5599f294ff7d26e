import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/schema.ts';
import { resolveBusOptions, type EmbeddedBusOptions } from './bus.options.ts';

const BASE: EmbeddedBusOptions = {
  db: {} as Kysely<Database>,
  groups: [],
  logger: pino({ level: 'silent' }),
};

describe('resolveBusOptions', () => {
  it('fills in defaults', () => {
    const resolved = resolveBusOptions(BASE);

    expect(resolved.retry).toEqual({ baseMs: 1_000, capMs: 300_000, maxAttempts: 10 });
    expect(resolved.concurrency).toBe(4);
    expect(resolved.workerId).toMatch(/^.+:\d+:[0-9a-f]{6}$/);
  });

  it.each<[string, Partial<EmbeddedBusOptions>]>([
    ['pollIntervalMs', { pollIntervalMs: 0 }],
    ['batchSize', { batchSize: 1.5 }],
    ['leaseMs', { leaseMs: -1 }],
    ['concurrency', { concurrency: Number.NaN }],
    ['retry.maxAttempts', { retry: { maxAttempts: 0 } }],
    ['retry.capMs', { retry: { baseMs: 500, capMs: 100 } }],
    ['workerId', { workerId: '' }],
  ])('rejects an invalid %s', (name, override) => {
    expect(() => resolveBusOptions({ ...BASE, ...override })).toThrow(name);
  });
});
