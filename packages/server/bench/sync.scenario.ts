import type { Question } from '@avior/contract';
import type { BenchBudget } from './bench.options.ts';
import type { ComparisonRow, ScenarioResult } from './bench.results.ts';
import { startBenchAvior, type BenchServer } from './bench.server.ts';
import { roundTenth } from './bench.stats.ts';
import { replayOfSent, saveThroughAnswersRoute } from './sync.baseline.ts';
import { prepareSyncFixture, type SyncOrganisation } from './sync.fixture.ts';
import {
  percentile,
  runDevices,
  sendJson,
  type LoadOptions,
  type LoadOutcome,
  type SendBatch,
} from './sync.load.ts';
import { pullEverything, readStoredState, waitForRecordedMutations } from './sync.stored.ts';
import { verifySync, type SyncVerification } from './sync.verify.ts';
import {
  BATCH_SIZE,
  DEVICES_PER_INSPECTOR,
  planWorkload,
  type DeviceWorkload,
} from './sync.workload.ts';

/** Far above what the devices send, so the rate limiter never responds with 429. */
const RATE_LIMIT_OFF = '10000000';
// On PGlite a push of 50 mutations kept the event loop busy for about 2.3 s of its 2.5 s on a
// busy 2-core machine. The load shedder at its default 1 s threshold would then respond with
// 503 to the other devices, so shedding is off (0) to measure the sync path itself.
const LOAD_SHEDDING_OFF = '0';
/**
 * Far above the slowest push seen, about 130 s on PGlite with 50 pushes in flight on a busy
 * 2-core machine, so a timeout means the server stopped responding.
 */
const REQUEST_TIMEOUT_MS = 300_000;
/** Maximum wait for pushes whose client timed out to finish on the server. */
const SETTLE_TIMEOUT_MS = 60_000;

/** Figures of one load. Latencies are in milliseconds, per request of up to 50 answers. */
interface LoadSummary {
  readonly answersSaved: number;
  readonly answersPerSecond: number;
  readonly requests: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly failedRequests: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly devicesStarted: number;
  readonly devicesFinished: number;
  readonly stoppedByTimeLimit: boolean;
}

/**
 * Pushes the offline edits of a burst of devices through POST /v1/sync/push. Then checks what
 * the server stored and serves against the results returned to the devices, and sends the same
 * answers in the same requests through PUT /v1/surveys/:id/answers in a second organisation.
 */
export async function runSyncScenario(budget: BenchBudget): Promise<ScenarioResult> {
  const server = await startBenchAvior({
    RATE_LIMIT_PER_MINUTE: RATE_LIMIT_OFF,
    MAX_EVENT_LOOP_DELAY_MS: LOAD_SHEDDING_OFF,
  });
  try {
    const inspectors = Math.ceil(budget.syncDevices / DEVICES_PER_INSPECTOR);
    console.log(`sync: creating ${inspectors} inspectors and their surveys in two organisations`);
    const fixture = await prepareSyncFixture(server, inspectors);
    const devices = planWorkload(
      { devices: budget.syncDevices, mutationsPerDevice: budget.syncMutationsPerDevice },
      fixture.template.definition.sections.flatMap((section): Question[] => section.questions),
      Date.now(),
    );

    const push = await pushEverything(server, fixture.sync, devices, budget);
    console.log('sync: checking the stored answers, conflicts and the pull API');
    const verification = await verify(server, fixture.sync, devices, push);
    printChecks(verification);

    const replay = replayOfSent(devices, push.requests);
    console.log(`sync: the same ${push.requests.length} requests through the answers route`);
    const answers = await runDevices(
      replay,
      loadOptions('sync baseline', budget),
      saveThroughAnswersRoute(server.url, fixture.answers, REQUEST_TIMEOUT_MS),
    );

    return summarise({
      engine: server.engine,
      inspectors,
      budget,
      push: summariseLoad(devices, push),
      answers: summariseLoad(replay, answers),
      verification,
    });
  } finally {
    await server.stop();
  }
}

function loadOptions(label: string, budget: BenchBudget): LoadOptions {
  return { label, concurrency: budget.syncConcurrency, timeLimitMs: budget.syncSeconds * 1000 };
}

function pushEverything(
  server: BenchServer,
  organisation: SyncOrganisation,
  devices: readonly DeviceWorkload[],
  budget: BenchBudget,
): Promise<LoadOutcome> {
  console.log(
    `sync: ${devices.length} devices push ${budget.syncMutationsPerDevice} mutations each in ` +
      `batches of up to ${BATCH_SIZE}, ${budget.syncConcurrency} devices at a time, until the ` +
      `pushes in flight would run past ${budget.syncSeconds} s`,
  );
  return runDevices(
    devices,
    loadOptions('sync push', budget),
    pushThroughSync(server.url, organisation),
  );
}

function pushThroughSync(baseUrl: string, organisation: SyncOrganisation): SendBatch {
  return (device, batch) => {
    const surveyId = organisation.surveyIds[batch.survey] ?? '';
    const mutations = batch.edits.map((edit) => ({ ...edit, kind: 'answer.set', surveyId }));
    return sendJson(`${baseUrl}/v1/sync/push`, {
      method: 'POST',
      token: organisation.inspectors[device.inspector]?.token ?? '',
      body: { deviceId: device.deviceId, mutations },
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
  };
}

async function verify(
  server: BenchServer,
  organisation: SyncOrganisation,
  devices: readonly DeviceWorkload[],
  push: LoadOutcome,
): Promise<SyncVerification> {
  const { db } = server.running.platform;
  if (push.requests.some((request) => request.status === 0)) {
    await waitForRecordedMutations(db, organisation.orgId, SETTLE_TIMEOUT_MS);
  }
  const stored = await readStoredState(db, organisation.orgId);
  const pulled = await pullEverything(organisation.manager, stored.changes);
  return verifySync({
    devices,
    requests: push.requests,
    surveyIds: organisation.surveyIds,
    stored,
    pulled,
  });
}

function printChecks(verification: SyncVerification): void {
  for (const check of verification.checks) {
    const outcome = check.mismatches === 0 ? 'pass' : 'FAIL';
    console.log(`sync: ${outcome} ${check.name}: ${check.detail}`);
  }
}

/** Counts each batch once, however many of its copies received a 2xx response. */
function summariseLoad(devices: readonly DeviceWorkload[], load: LoadOutcome): LoadSummary {
  const saved = new Set<string>();
  let answersSaved = 0;
  for (const request of load.requests) {
    const key = `${request.device}/${request.batch}`;
    if (request.status < 200 || request.status > 299 || saved.has(key)) continue;

    saved.add(key);
    answersSaved += devices[request.device]?.batches[request.batch]?.edits.length ?? 0;
  }
  const latencies = load.requests.map((request) => request.latencyMs);
  const statusCodes: Record<string, number> = {};
  for (const request of load.requests) {
    const code = request.status === 0 ? (request.error ?? 'error') : String(request.status);
    statusCodes[code] = (statusCodes[code] ?? 0) + 1;
  }

  return {
    answersSaved,
    answersPerSecond: roundTenth(answersSaved / Math.max(load.seconds, 0.001)),
    requests: load.requests.length,
    seconds: roundTenth(load.seconds),
    p50: roundTenth(percentile(latencies, 0.5)),
    p95: roundTenth(percentile(latencies, 0.95)),
    p99: roundTenth(percentile(latencies, 0.99)),
    max: roundTenth(percentile(latencies, 1)),
    failedRequests: load.requests.filter((request) => request.status !== 200).length,
    statusCodes,
    devicesStarted: load.devicesStarted,
    devicesFinished: load.devicesFinished,
    stoppedByTimeLimit: load.stoppedByTimeLimit,
  };
}

interface SyncOutcome {
  readonly engine: string;
  readonly inspectors: number;
  readonly budget: BenchBudget;
  readonly push: LoadSummary;
  readonly answers: LoadSummary;
  readonly verification: SyncVerification;
}

function summarise(outcome: SyncOutcome): ScenarioResult {
  const { push, answers, verification } = outcome;
  const row = (measure: string, unit: string, avior: number, baseline: number | null) => ({
    scenario: 'sync' as const,
    measure,
    unit,
    avior,
    baseline,
  });
  const rows: ComparisonRow[] = [
    row(
      'POST /v1/sync/push vs PUT /v1/surveys/:id/answers',
      'answers/s',
      push.answersPerSecond,
      answers.answersPerSecond,
    ),
    row('request latency p50', 'ms', push.p50, answers.p50),
    row('request latency p95', 'ms', push.p95, answers.p95),
    row('request latency p99', 'ms', push.p99, answers.p99),
    row('answers saved', 'answers', push.answersSaved, answers.answersSaved),
    row('non-2xx and errors', 'count', push.failedRequests, answers.failedRequests),
    row('conflicts recorded', 'count', verification.figures.conflictsRecorded ?? 0, null),
    ...verification.checks.map((check) =>
      row(`check: ${check.name}`, 'mismatches', check.mismatches, null),
    ),
  ];

  return {
    scenario: 'sync',
    rows,
    failures: describeFailures(outcome),
    raw: {
      engine: outcome.engine,
      devices: outcome.budget.syncDevices,
      mutationsPerDevice: outcome.budget.syncMutationsPerDevice,
      inspectors: outcome.inspectors,
      concurrency: outcome.budget.syncConcurrency,
      timeLimitSeconds: outcome.budget.syncSeconds,
      push,
      answers,
      checks: verification.checks,
      figures: verification.figures,
    },
  };
}

function describeFailures(outcome: SyncOutcome): string[] {
  const loads = [
    ['POST /v1/sync/push', outcome.push],
    ['PUT /v1/surveys/:id/answers', outcome.answers],
  ] as const;
  const failedLoads = loads.flatMap(([target, summary]) =>
    summary.failedRequests === 0
      ? []
      : [
          `sync: ${target}: ${summary.failedRequests} requests failed or answered non-200; ` +
            `status codes ${JSON.stringify(summary.statusCodes)}`,
        ],
  );
  const failedChecks = outcome.verification.checks.flatMap((check) =>
    check.mismatches === 0 ? [] : [`sync: check failed, ${check.name}: ${check.detail}`],
  );
  return [...failedLoads, ...failedChecks];
}
