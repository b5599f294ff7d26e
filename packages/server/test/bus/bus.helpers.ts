import type { Topic } from '@avior/contract';
import { sql } from 'kysely';
import { pino, type Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { appendEvent } from '../../src/platform/bus/index.ts';
import type { Db } from '../../src/platform/db/database.ts';

export const ORG_ID = '0190a000-0000-7000-8000-000000000001';
export const TOPIC = 'survey.submitted' satisfies Topic;

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly eventId?: string;
  readonly topic?: string;
  readonly group?: string;
  readonly attempt?: number;
  readonly delayMs?: number;
  readonly err?: { readonly message: string; readonly type: string };
}

export const WARN = 40;
export const ERROR = 50;

/** Creates a pino logger that keeps every line it writes, parsed, for assertions. */
export function captureLogger(): { readonly logger: Logger; readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );

  return { logger, lines };
}

/** Empties the bus tables so each test starts with no events, cursors or deliveries. */
export async function resetBus(db: Db): Promise<void> {
  await sql`TRUNCATE outbox_events, bus_cursors, bus_deliveries, bus_dead_letters`.execute(db);
}

/** Appends `count` survey.submitted events, each in its own committed transaction. */
export async function appendCommitted(db: Db, count = 1): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const id = await db
      .transaction()
      .execute((trx) =>
        appendEvent(trx, { topic: TOPIC, orgId: ORG_ID, payload: { surveyId: uuidv7() } }),
      );
    ids.push(id);
  }

  return ids;
}

export async function getDelivery(db: Db, group: string, eventId: string) {
  return db
    .selectFrom('bus_deliveries')
    .selectAll()
    .where('group_name', '=', group)
    .where('event_id', '=', eventId)
    .executeTakeFirstOrThrow();
}

export interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
}

export function deferred(): Deferred {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });

  return { promise, resolve };
}

/** Polls `check` until it returns true. Rejects with `description` after `timeoutMs`. */
export async function waitFor(
  description: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
