import { parseArgs } from 'node:util';

export const SCENARIOS = ['http', 'images', 'report', 'sync'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Durations and repetitions of one bench run. */
export interface BenchBudget {
  readonly httpConnections: number;
  /** Untimed load on each target before the measured rounds. */
  readonly httpWarmupSeconds: number;
  /** Measured rounds per target, alternating between Avior and its baseline. */
  readonly httpRounds: number;
  readonly httpRoundSeconds: number;
  /** Cap on responses per load run, so the run ends early when a target is very fast. */
  readonly httpMaxRequests: number;
  /** Timed runs of each photo and each report, after one untimed warm-up. */
  readonly timedRuns: number;
  /** Simulated devices of the sync scenario, two per inspector. */
  readonly syncDevices: number;
  /** Answer mutations each device pushes, in batches of up to 50. */
  readonly syncMutationsPerDevice: number;
  /** Devices pushing at the same time. */
  readonly syncConcurrency: number;
  /** Seconds after which no batch is sent, for the pushes and again for the baseline. */
  readonly syncSeconds: number;
}

export interface BenchOptions {
  readonly quick: boolean;
  readonly scenarios: readonly ScenarioName[];
  readonly budget: BenchBudget;
}

export const HELP = `Usage: npm run bench -- [--quick] [--only http|images|report|sync]
                     [--sync-devices N] [--sync-mutations N]

Measures Avior against baselines started in the same process: the HTTP API against a bare
Fastify app on the same database, photo processing against sharp alone, report generation
against pdfkit writing plain pages, and offline sync pushes from a burst of devices against
the same answers saved through the answers route. Prints a table and writes
bench/results/latest.json.

  --quick             2 s of load per target, 2 timed runs and 20 sync devices, to check
                      that the bench works
  --only NAME         run one scenario: http, images, report or sync (repeat for several)
  --sync-devices N    devices of the sync scenario (default 500, or 20 with --quick)
  --sync-mutations N  answer mutations each sync device pushes (default 200, or 40 with --quick)
  --help              print this text

DATABASE_URL set to a PostgreSQL server runs the HTTP, report and sync scenarios on a scratch
database created on that server and dropped afterwards; unset, they run on embedded PGlite.`;

const FULL_BUDGET: BenchBudget = {
  httpConnections: 20,
  httpWarmupSeconds: 2,
  httpRounds: 4,
  httpRoundSeconds: 2,
  httpMaxRequests: 500_000,
  timedRuns: 5,
  syncDevices: 500,
  syncMutationsPerDevice: 200,
  syncConcurrency: 50,
  syncSeconds: 120,
};

const QUICK_BUDGET: BenchBudget = {
  ...FULL_BUDGET,
  httpWarmupSeconds: 1,
  httpRounds: 2,
  httpRoundSeconds: 1,
  timedRuns: 2,
  syncDevices: 20,
  syncMutationsPerDevice: 40,
  syncSeconds: 30,
};

/** Reads the command line; returns undefined when only the help text was asked for. */
export function parseBenchOptions(args: readonly string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: [...args],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      'sync-devices': { type: 'string' },
      'sync-mutations': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;

  const quick = values.quick ?? false;
  const budget = quick ? QUICK_BUDGET : FULL_BUDGET;
  return {
    quick,
    scenarios: values.only ? values.only.map(toScenario) : [...SCENARIOS],
    budget: {
      ...budget,
      syncDevices: readCount('--sync-devices', values['sync-devices'], budget.syncDevices),
      syncMutationsPerDevice: readCount(
        '--sync-mutations',
        values['sync-mutations'],
        budget.syncMutationsPerDevice,
      ),
    },
  };
}

/** The upper bound keeps the workload's plan and verification within memory. */
const MAX_SYNC_COUNT = 100_000;

function readCount(option: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;

  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_SYNC_COUNT) {
    throw new Error(
      `Invalid ${option} value "${raw}": expected an integer from 1 to ${MAX_SYNC_COUNT}`,
    );
  }
  return value;
}

function toScenario(value: string): ScenarioName {
  const scenario = SCENARIOS.find((name) => name === value);
  if (!scenario) {
    throw new Error(`Invalid --only value "${value}": expected ${SCENARIOS.join(', ')}`);
  }

  return scenario;
}
