import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { describeMachine, readLoadAverage } from './bench.machine.ts';
import {
  HELP,
  parseBenchOptions,
  type BenchBudget,
  type BenchOptions,
  type ScenarioName,
} from './bench.options.ts';
import { formatTable, ratioOf, type ScenarioResult } from './bench.results.ts';
import { stopAllBenchServers } from './bench.server.ts';
import { runHttpScenario } from './http.scenario.ts';
import { runImagesScenario } from './images.scenario.ts';
import { runReportScenario } from './report.scenario.ts';
import { runSyncScenario } from './sync.scenario.ts';

const RESULTS_DIR = new URL('./results/', import.meta.url);

/** A full run takes about 5 minutes on a busy 2-core machine, so a run past this limit is stuck. */
const TIME_LIMIT_MS = 9 * 60_000;

const RUNNERS: Readonly<Record<ScenarioName, (budget: BenchBudget) => Promise<ScenarioResult>>> = {
  http: runHttpScenario,
  images: runImagesScenario,
  report: runReportScenario,
  sync: runSyncScenario,
};

async function main(): Promise<void> {
  const options = readOptions();
  if (!options) return;

  stopOnSignalOrTimeout();
  const loadAtStart = readLoadAverage();
  const started = performance.now();
  const results: ScenarioResult[] = [];
  for (const scenario of options.scenarios) {
    results.push(await RUNNERS[scenario](options.budget));
  }
  const seconds = Math.round((performance.now() - started) / 1000);

  const rows = results.flatMap((result) => result.rows);
  console.log(`\n${formatTable(rows)}\n`);
  const file = await writeResults({
    date: new Date().toISOString(),
    command: describeCommand(process.argv.slice(2)),
    machine: await describeMachine(loadAtStart),
    database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    quick: options.quick,
    seconds,
    rows: rows.map((row) => ({ ...row, ratio: ratioOf(row) })),
    scenarios: Object.fromEntries(results.map((result) => [result.scenario, result.raw])),
  });
  console.log(`Finished in ${seconds} s. Figures written to ${file}`);

  const failures = results.flatMap((result) => result.failures);
  if (failures.length > 0) {
    console.error(`Bench failed:\n${failures.map((failure) => `  ${failure}`).join('\n')}`);
    process.exitCode = 1;
  }
}

function describeCommand(args: readonly string[]): string {
  return args.length > 0 ? `npm run bench -- ${args.join(' ')}` : 'npm run bench';
}

/** Parses the command line; prints the help text or a usage error when there is no run to do. */
function readOptions(): BenchOptions | undefined {
  try {
    const options = parseBenchOptions(process.argv.slice(2));
    if (!options) console.log(HELP);
    return options;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${message}. Run npm run bench -- --help for the options.`);
    process.exitCode = 2;
    return undefined;
  }
}

// The file is formatted with the repository's Prettier settings, so `npm run lint` (prettier
// --check, which reads only the root .gitignore) still passes after a bench run.
async function writeResults(results: Record<string, unknown>): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = new URL('latest.json', RESULTS_DIR);
  const options = await resolveConfig(fileURLToPath(file));
  await writeFile(file, await format(JSON.stringify(results), { ...options, parser: 'json' }));
  return fileURLToPath(file);
}

// Servers started by the bench hold a scratch PostgreSQL database and a temporary folder, so an
// interrupted or hung run stops them before it exits.
function stopOnSignalOrTimeout(): void {
  const stop = (reason: string, exitCode: number) => {
    console.error(`Bench stopped (${reason}). Stopping the servers it started.`);
    void stopAllBenchServers().finally(() => process.exit(exitCode));
  };
  process.once('SIGINT', () => stop('interrupted', 130));
  process.once('SIGTERM', () => stop('terminated', 143));
  setTimeout(
    () => stop(`time limit of ${TIME_LIMIT_MS / 60_000} minutes reached`, 1),
    TIME_LIMIT_MS,
  ).unref();
}

// A start-up that failed halfway can leave database connections and timers open, so a failed
// run exits explicitly rather than waiting for the event loop to empty.
main().catch(async (error: unknown) => {
  console.error(
    `Bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  await stopAllBenchServers();
  process.exit(1);
});
