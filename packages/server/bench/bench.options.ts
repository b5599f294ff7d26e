import { parseArgs } from 'node:util';

export const SCENARIOS = ['http', 'images', 'report'] as const;
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
}

export interface BenchOptions {
  readonly quick: boolean;
  readonly scenarios: readonly ScenarioName[];
  readonly budget: BenchBudget;
}

export const HELP = `Usage: npm run bench -- [--quick] [--only http|images|report]

Measures Avior against baselines started in the same process: the HTTP API against a bare
Fastify app on the same database, photo processing against sharp alone, and report generation
against pdfkit writing plain pages. Prints a table and writes bench/results/latest.json.

  --quick        2 s of load per target and 2 timed runs, to check that the bench works
  --only NAME    run one scenario: http, images or report (repeat for several)
  --help         print this text

DATABASE_URL set to a PostgreSQL server runs the HTTP and report scenarios on a scratch
database created on that server and dropped afterwards; unset, they run on embedded PGlite.`;

const FULL_BUDGET: BenchBudget = {
  httpConnections: 20,
  httpWarmupSeconds: 2,
  httpRounds: 4,
  httpRoundSeconds: 2,
  httpMaxRequests: 500_000,
  timedRuns: 5,
};

const QUICK_BUDGET: BenchBudget = {
  ...FULL_BUDGET,
  httpWarmupSeconds: 1,
  httpRounds: 2,
  httpRoundSeconds: 1,
  timedRuns: 2,
};

/** Reads the command line; returns undefined when only the help text was asked for. */
export function parseBenchOptions(args: readonly string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: [...args],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;

  const quick = values.quick ?? false;
  return {
    quick,
    scenarios: values.only ? values.only.map(toScenario) : [...SCENARIOS],
    budget: quick ? QUICK_BUDGET : FULL_BUDGET,
  };
}

function toScenario(value: string): ScenarioName {
  const scenario = SCENARIOS.find((name) => name === value);
  if (!scenario) {
    throw new Error(`Invalid --only value "${value}": expected ${SCENARIOS.join(', ')}`);
  }

  return scenario;
}
