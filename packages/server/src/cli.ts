import { parseArgs } from 'node:util';
import { TOPICS, type Topic } from '@avior/contract';
import { CONFIG_VARIABLES, loadConfig } from './config.ts';
import { openDatabase } from './platform/db/database.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import {
  listDeadLetters,
  replayAllDeadLetters,
  replayDeadLetter,
} from './platform/bus/dead-letter.repository.ts';
import { startAvior, type Role } from './runtime.ts';
import { useInvocationDirectory } from './platform/working-directory.ts';

const USAGE = `Usage: avior <command> [options]

Commands:
  start [--role api|worker] [--topics t1,t2]
                          Run the platform; with no --role, the API and the workers in one process.
  migrate                 Bring the database schema up to date, then exit.
  dead-letters list [--limit N]
                          Show events whose handlers failed their last attempt.
  dead-letters replay (--id ID | --all) [--group NAME]
                          Deliver dead-lettered events again.
  config                  Print every environment variable, its value or default, and what it sets.

Environment variables configure engines and limits; run "avior config" to list them.`;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(rest);
    case 'migrate':
      return migrate();
    case 'dead-letters':
      return deadLetters(rest);
    case 'config':
      return printConfig();
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

async function start(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { role: { type: 'string' }, topics: { type: 'string' } },
  });
  const roles = parseRoles(values.role);
  const topics = values.topics ? parseTopics(values.topics) : undefined;
  const running = await startAvior(loadConfig(), { roles, ...(topics ? { topics } : {}) });
  running.platform.logger.info(
    { roles, url: running.url, engine: running.platform.dbEngine },
    'avior started',
  );
  if (running.url)
    console.log(`Avior is running at ${running.url} (API docs at ${running.url}/docs)`);

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      running.platform.logger.info({ signal }, 'avior stopping');
      void running.stop().then(resolve, resolve);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  return 0;
}

async function migrate(): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.pgliteDir });
  try {
    const results = await migrateToLatest(database.db);
    for (const result of results) console.log(`${result.migrationName}: ${result.status}`);
    console.log(
      results.length === 0 ? 'Schema already up to date.' : `Applied ${results.length} migrations.`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

async function deadLetters(args: readonly string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      limit: { type: 'string' },
      id: { type: 'string' },
      all: { type: 'boolean' },
      group: { type: 'string' },
    },
  });
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.pgliteDir });
  try {
    await migrateToLatest(database.db);
    if (action === 'list') return await listLetters(database.db, Number(values.limit ?? 50));
    if (action === 'replay') return await replayLetters(database.db, values);
    console.error(`Unknown dead-letters action "${action ?? ''}": expected list or replay.`);
    return 2;
  } finally {
    await database.close();
  }
}

async function listLetters(
  db: Parameters<typeof listDeadLetters>[0],
  limit: number,
): Promise<number> {
  const letters = await listDeadLetters(db, { limit });
  if (letters.length === 0) console.log('No dead letters.');
  for (const letter of letters) console.log(JSON.stringify(letter));
  return 0;
}

async function replayLetters(
  db: Parameters<typeof listDeadLetters>[0],
  values: { id?: string | undefined; all?: boolean | undefined; group?: string | undefined },
): Promise<number> {
  if (values.id) {
    if (!UUID_PATTERN.test(values.id)) {
      console.error(
        `Invalid --id "${values.id}": expected a dead letter id as "dead-letters list" prints it (a UUID).`,
      );
      return 2;
    }
    const replayed = await replayDeadLetter(db, values.id);
    console.log(
      replayed
        ? `Replaying dead letter ${values.id}.`
        : `Dead letter ${values.id} not found or already replayed.`,
    );
    return replayed ? 0 : 1;
  }
  if (!values.all) {
    console.error('Pass --id ID to replay one dead letter or --all to replay every one.');
    return 2;
  }

  const count = await replayAllDeadLetters(db, values.group ? { group: values.group } : {});
  console.log(`Replaying ${count} dead letters.`);
  return 0;
}

function printConfig(): number {
  // Validates the environment; the placeholder secret keeps this from generating a real one.
  loadConfig({ ...process.env, AVIOR_SECRET: process.env.AVIOR_SECRET ?? 'not-generated' });
  for (const [name, fallback, description] of CONFIG_VARIABLES) {
    const value = process.env[name];
    const shown = name === 'AVIOR_SECRET' && value ? '(set)' : value;
    const setting =
      shown === undefined ? `${fallback} (default)` : `${shown} (from the environment)`;
    console.log(`${name}=${setting}\n    ${description}`);
  }
  return 0;
}

function parseRoles(role: string | undefined): Role[] {
  if (role === undefined || role === 'all') return ['api', 'worker'];
  if (role === 'api' || role === 'worker') return [role];
  throw new Error(`Invalid --role "${role}": expected api, worker or all`);
}

function parseTopics(list: string): Topic[] {
  const topics = list.split(',').map((topic) => topic.trim());
  const unknown = topics.filter((topic) => !TOPICS.includes(topic as Topic));
  if (unknown.length > 0)
    throw new Error(`Unknown topics: ${unknown.join(', ')}. Known: ${TOPICS.join(', ')}`);
  return topics as Topic[];
}

useInvocationDirectory();
main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
