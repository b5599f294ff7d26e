import type { SurveyView } from '@avior/contract';
import { callApi } from './bench.api.ts';
import type { BenchBudget } from './bench.options.ts';
import type { ComparisonRow, ScenarioResult } from './bench.results.ts';
import { startBenchAvior, type BenchServer } from './bench.server.ts';
import { roundTenth } from './bench.stats.ts';
import {
  mergeLatencies,
  runLoad,
  type LoadRequest,
  type RawLoadResult,
} from './autocannon.adapter.ts';
import { startBareApp } from './http.baseline.ts';
import { answerBatchBody, prepareHttpFixture, type HttpFixture } from './http.fixture.ts';

/** Far above what the loads send, so the rate limiter never responds with 429. */
const RATE_LIMIT_OFF = '10000000';
const DRAIN_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_SECONDS = 10;

interface LoadTarget {
  readonly url: string;
  readonly request: LoadRequest;
  /** Runs before every load of the target; returns the milliseconds it waited. */
  readonly prepare?: () => Promise<number>;
}

/** Figures of the measured loads of one target. Latencies are in milliseconds. */
interface LoadSummary {
  readonly requestsPerSecond: number;
  readonly roundRequestsPerSecond: readonly number[];
  readonly p50: number;
  readonly p97_5: number;
  readonly p99: number;
  readonly max: number;
  readonly responses: number;
  readonly seconds: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodes: Readonly<Record<string, number>>;
}

interface Comparison {
  readonly endpoint: string;
  /** Time spent before Avior's loads waiting for its load shedder to stop responding with 503. */
  readonly sheddingWaitMs: number;
  readonly avior: LoadSummary;
  readonly baseline: LoadSummary;
}

/**
 * Loads Avior's survey read and answer-saving routes with autocannon, then the same queries
 * behind a bare Fastify app on the same database handle, and compares the two.
 */
export async function runHttpScenario(budget: BenchBudget): Promise<ScenarioResult> {
  const server = await startBenchAvior({ RATE_LIMIT_PER_MINUTE: RATE_LIMIT_OFF });
  try {
    console.log('http: assigning, answering and submitting the demo surveys');
    const fixture = await prepareHttpFixture(server.url);
    // Submitting queues a report and notifications, which finish before any load starts.
    await server.settle(DRAIN_TIMEOUT_MS);
    const survey = await callApi<SurveyView>(
      fixture.inspector,
      'GET',
      `/v1/surveys/${fixture.readSurveyId}`,
    );

    const { orgId, userId } = fixture.inspector;
    const bare = await startBareApp(server.running.platform.db, orgId, userId);
    try {
      const comparisons = [
        await compare(budget, readTargets(server, bare.url, fixture)),
        await compare(budget, writeTargets(server, bare.url, fixture)),
      ];
      const result = summarise(comparisons, {
        engine: server.engine,
        answersInReadSurvey: survey.answers.length,
        findingsInReadSurvey: survey.findings.length,
        readBodyBytes: Buffer.byteLength(JSON.stringify(survey)),
        answersPerBatch: fixture.batchQuestionIds.length,
        budget,
      });
      return survey.findings.length > 0
        ? result
        : { ...result, failures: [...result.failures, 'http: the read survey has no findings'] };
    } finally {
      await bare.close();
    }
  } finally {
    await server.stop();
  }
}

// Avior and the bare app share this process's event loop. On a busy machine, Avior's load shedder
// was seen responding with 503 right after the bare app's write load, so each load of Avior
// first waits until it accepts requests. A 503 during Avior's own load still fails the bench.
function readTargets(server: BenchServer, bareUrl: string, fixture: HttpFixture) {
  const id = fixture.readSurveyId;
  const authorization = `Bearer ${fixture.inspector.token}`;
  return {
    endpoint: 'GET /v1/surveys/:id',
    avior: {
      url: server.url,
      prepare: () => server.waitUntilAccepting(),
      request: { method: 'GET', path: `/v1/surveys/${id}`, headers: { authorization } },
    },
    baseline: {
      url: bareUrl,
      request: { method: 'GET', path: `/surveys/${id}` },
    },
  } as const;
}

function writeTargets(server: BenchServer, bareUrl: string, fixture: HttpFixture) {
  const id = fixture.writeSurveyId;
  let sequence = 0;
  const request = (path: string, headers: Record<string, string>): LoadRequest => ({
    method: 'PUT',
    path,
    headers: { ...headers, 'content-type': 'application/json' },
    body: answerBatchBody(fixture.batchQuestionIds, sequence),
    setupRequest: (sent) => ({
      ...sent,
      body: answerBatchBody(fixture.batchQuestionIds, (sequence += 1)),
    }),
  });
  const authorization = `Bearer ${fixture.inspector.token}`;
  return {
    endpoint: 'PUT /v1/surveys/:id/answers',
    avior: {
      url: server.url,
      prepare: () => server.waitUntilAccepting(),
      request: request(`/v1/surveys/${id}/answers`, { authorization }),
    },
    baseline: {
      url: bareUrl,
      request: request(`/surveys/${id}/answers`, {}),
    },
  } as const;
}

/**
 * Loads both targets for an untimed warm-up, then in rounds that alternate which goes first, so
 * a change in the machine's load during the bench falls on both alike.
 */
async function compare(
  budget: BenchBudget,
  targets: { endpoint: string; avior: LoadTarget; baseline: LoadTarget },
): Promise<Comparison> {
  const seconds = budget.httpRounds * budget.httpRoundSeconds;
  console.log(
    `http: ${targets.endpoint} on Avior and on bare Fastify, ${budget.httpConnections} ` +
      `connections, ${budget.httpWarmupSeconds} s warm-up then ${seconds} s each in ` +
      `${budget.httpRounds} alternating rounds`,
  );
  let waitedMs = 0;
  const load = async (target: LoadTarget, duration: number) => {
    waitedMs += (await target.prepare?.()) ?? 0;
    return runLoad({
      url: target.url,
      connections: budget.httpConnections,
      duration,
      maxOverallRequests: budget.httpMaxRequests,
      timeout: REQUEST_TIMEOUT_SECONDS,
      requests: [target.request],
    });
  };

  const warmups = {
    avior: await load(targets.avior, budget.httpWarmupSeconds),
    baseline: await load(targets.baseline, budget.httpWarmupSeconds),
  };
  const rounds: Record<'avior' | 'baseline', RawLoadResult[]> = { avior: [], baseline: [] };
  for (let round = 0; round < budget.httpRounds; round += 1) {
    const order =
      round % 2 === 0 ? (['avior', 'baseline'] as const) : (['baseline', 'avior'] as const);
    for (const side of order) rounds[side].push(await load(targets[side], budget.httpRoundSeconds));
  }

  return {
    endpoint: targets.endpoint,
    sheddingWaitMs: waitedMs,
    avior: summariseLoads(targets.avior, rounds.avior, warmups.avior, budget),
    baseline: summariseLoads(targets.baseline, rounds.baseline, warmups.baseline, budget),
  };
}

/** Merges the measured rounds of one target; failures of the warm-up count as well. */
function summariseLoads(
  target: LoadTarget,
  rounds: readonly RawLoadResult[],
  warmup: RawLoadResult,
  budget: BenchBudget,
): LoadSummary {
  const sum = (pick: (result: RawLoadResult) => number, results = rounds) =>
    results.reduce((total, result) => total + pick(result), 0);
  const all = [warmup, ...rounds];
  const responses = sum((result) => result.totalCompletedRequests);
  const seconds = sum((result) => result.duration);
  const latency = mergeLatencies(rounds, { url: target.url, connections: budget.httpConnections });

  return {
    requestsPerSecond: roundTenth(responses / seconds),
    roundRequestsPerSecond: rounds.map((result) =>
      roundTenth(result.totalCompletedRequests / result.duration),
    ),
    p50: latency.p50,
    p97_5: latency.p97_5,
    p99: latency.p99,
    max: latency.max,
    responses,
    seconds: roundTenth(seconds),
    non2xx: sum((result) => result.non2xx, all),
    errors: sum((result) => result.errors, all),
    timeouts: sum((result) => result.timeouts, all),
    statusCodes: countStatusCodes(all),
  };
}

function countStatusCodes(results: readonly RawLoadResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    for (const [code, stats] of Object.entries(result.statusCodeStats)) {
      counts[code] = (counts[code] ?? 0) + stats.count;
    }
  }

  return counts;
}

function summarise(
  comparisons: readonly Comparison[],
  context: Record<string, unknown>,
): ScenarioResult {
  const rows = comparisons.flatMap((comparison): ComparisonRow[] => {
    const row = (measure: string, unit: string, pick: (summary: LoadSummary) => number) => ({
      scenario: 'http' as const,
      measure: `${comparison.endpoint} ${measure}`,
      unit,
      avior: pick(comparison.avior),
      baseline: pick(comparison.baseline),
    });
    return [
      row('throughput', 'requests/s', (summary) => summary.requestsPerSecond),
      row('latency p50', 'ms', (summary) => summary.p50),
      row('latency p99', 'ms', (summary) => summary.p99),
      row('non-2xx and errors', 'count', (summary) => summary.non2xx + summary.errors),
    ];
  });
  const failures = comparisons.flatMap((comparison) =>
    [comparison.avior, comparison.baseline].flatMap((summary, index) =>
      describeFailure(
        `${comparison.endpoint} on ${index === 0 ? 'Avior' : 'bare Fastify'}`,
        summary,
      ),
    ),
  );

  return { scenario: 'http', rows, failures, raw: { ...context, comparisons } };
}

function describeFailure(target: string, summary: LoadSummary): string[] {
  if (summary.non2xx === 0 && summary.errors === 0) return [];

  const codes = JSON.stringify(summary.statusCodes);
  return [
    `${target}: ${summary.non2xx} non-2xx responses and ${summary.errors} connection errors ` +
      `(${summary.timeouts} timeouts); status codes ${codes}`,
  ];
}
