import { randomUUID } from 'node:crypto';
import { HybridLogicalClock, type Question } from '@avior/contract';
import { pickAnswer, seededRandom, type AnswerSide, type Random } from './sync.values.ts';

/** Mutations per push request. */
export const BATCH_SIZE = 50;
/** Each inspector works on a phone and a tablet. */
export const DEVICES_PER_INSPECTOR = 2;
export const SURVEYS_PER_INSPECTOR = 2;

/** Share of a survey's questions that both devices of an inspector answer, differently. */
const SHARED_SHARE = 0.2;
const SEED = 20_261_204;
const HOUR_MS = 60 * 60 * 1000;

/** One answer edit made offline: an `answer.set` mutation without its survey id. */
export interface Edit extends AnswerSide {
  readonly clientMutationId: string;
  readonly questionId: string;
  readonly hlc: string;
}

/** The edits of one push request, all to one survey. */
export interface Batch {
  /** Index of the survey among all surveys, `inspector * SURVEYS_PER_INSPECTOR + k`. */
  readonly survey: number;
  readonly edits: readonly Edit[];
}

/**
 * Repeat of a batch by its device. `after-response` sends it again once the first response has
 * arrived, as when that response was lost. `in-flight` sends two copies at once, as when a
 * client times out and retries while the server is still applying the first.
 */
export type RetryMode = 'after-response' | 'in-flight';

export interface DeviceWorkload {
  readonly deviceId: string;
  readonly inspector: number;
  readonly batches: readonly Batch[];
  readonly retry?: { readonly batch: number; readonly mode: RetryMode } | undefined;
}

export interface WorkloadShape {
  readonly devices: number;
  readonly mutationsPerDevice: number;
}

/**
 * Plans the offline edits of every device. Inspector i works on a phone and a tablet (the last
 * one on a phone alone when the device count is odd), and its surveys are numbers 2i and
 * 2i + 1. On each survey the phone
 * answers the first questions of the template and the tablet the next ones, the two ranges
 * sharing a fifth of their questions, which the devices answer differently. Each device stamps
 * its edits with its own hybrid logical clock, one edit every 10 to 60 s from a start 1 to 3
 * hours ago, on a wall clock up to 2 minutes off. One device in ten repeats a batch after its
 * response and one in ten sends a batch twice at once. Inspectors come in a shuffled order,
 * each with its two devices one after the other in either order, so that a run cut short by
 * its time limit still has pairs of devices disagreeing.
 */
export function planWorkload(
  shape: WorkloadShape,
  questions: readonly Question[],
  now: number,
): DeviceWorkload[] {
  const answerable = questions.filter((question) => question.type !== 'photo');
  assertCapacity(shape, answerable.length);

  const random = seededRandom(SEED);
  const inspectors = Math.ceil(shape.devices / DEVICES_PER_INSPECTOR);
  const teams: DeviceWorkload[][] = [];
  for (let inspector = 0; inspector < inspectors; inspector += 1) {
    const pair = DEVICES_PER_INSPECTOR * inspector + 1 < shape.devices;
    const ranges = surveyRanges(shape.mutationsPerDevice, pair);
    const phone = answerRanges(
      answerable,
      ranges.map((range) => range.phone),
      random,
    );
    const team = [stampDevice(`inspector-${inspector}-phone`, inspector, phone, random, now)];
    if (pair) {
      const tablet = answerRanges(
        answerable,
        ranges.map((range) => range.tablet),
        random,
        phone,
      );
      team.push(stampDevice(`inspector-${inspector}-tablet`, inspector, tablet, random, now));
    }
    teams.push(shuffle(team, random));
  }

  return shuffle(teams, random).flat().map(withRetry);
}

/** Returns the largest number of mutations per device that the template's questions allow. */
export function maxMutationsPerDevice(answerableQuestions: number): number {
  let perSurvey = answerableQuestions;
  while (perSurvey > 0 && 2 * perSurvey - sharedCount(perSurvey) > answerableQuestions) {
    perSurvey -= 1;
  }
  return perSurvey * SURVEYS_PER_INSPECTOR;
}

function assertCapacity(shape: WorkloadShape, answerableQuestions: number): void {
  const max = maxMutationsPerDevice(answerableQuestions);
  if (shape.mutationsPerDevice > max) {
    throw new Error(
      `Invalid --sync-mutations ${shape.mutationsPerDevice}: the template has ` +
        `${answerableQuestions} questions without photos, enough for at most ${max} ` +
        'mutations per device',
    );
  }
}

interface QuestionRange {
  readonly start: number;
  readonly count: number;
}

/** Splits a device's mutations over the surveys and places the phone's and tablet's ranges. */
function surveyRanges(mutations: number, pair: boolean) {
  return Array.from({ length: SURVEYS_PER_INSPECTOR }, (_, survey) => {
    const count =
      Math.floor(mutations / SURVEYS_PER_INSPECTOR) +
      (survey < mutations % SURVEYS_PER_INSPECTOR ? 1 : 0);
    const tabletStart = pair ? count - sharedCount(count) : 0;
    return {
      phone: { start: 0, count },
      tablet: { start: tabletStart, count },
    } satisfies Record<string, QuestionRange>;
  });
}

function sharedCount(perSurvey: number): number {
  return Math.floor(perSurvey * SHARED_SHARE);
}

/** One device's answers, by survey k, keyed by question in the order they are given. */
type DeviceAnswers = readonly ReadonlyMap<Question, AnswerSide>[];

function answerRanges(
  questions: readonly Question[],
  ranges: readonly QuestionRange[],
  random: Random,
  partner?: DeviceAnswers,
): DeviceAnswers {
  return ranges.map((range, survey) => {
    const answers = new Map<Question, AnswerSide>();
    for (const question of questions.slice(range.start, range.start + range.count)) {
      answers.set(question, pickAnswer(question, random, partner?.[survey]?.get(question)));
    }
    return answers;
  });
}

function stampDevice(
  deviceId: string,
  inspector: number,
  answers: DeviceAnswers,
  random: Random,
  now: number,
): DeviceWorkload {
  let wallMs = now - HOUR_MS - random() * 2 * HOUR_MS;
  const skewMs = (random() - 0.5) * 4 * 60_000;
  const clock = new HybridLogicalClock(deviceId, { now: () => Math.floor(wallMs + skewMs) });
  const batches = answers.flatMap((bySurvey, k) => {
    const edits = [...bySurvey].map(([question, side]): Edit => {
      wallMs += 10_000 + random() * 50_000;
      return {
        clientMutationId: randomUUID(),
        questionId: question.id,
        ...side,
        hlc: clock.tick(),
      };
    });
    return chunk(edits).map((part) => ({
      survey: inspector * SURVEYS_PER_INSPECTOR + k,
      edits: part,
    }));
  });
  return { deviceId, inspector, batches };
}

function withRetry(device: DeviceWorkload, index: number): DeviceWorkload {
  const batch = index % device.batches.length;
  if (index % 10 === 3) return { ...device, retry: { batch, mode: 'after-response' } };
  if (index % 10 === 7) return { ...device, retry: { batch, mode: 'in-flight' } };

  return device;
}

function chunk<T>(items: readonly T[]): T[][] {
  const parts: T[][] = [];
  for (let start = 0; start < items.length; start += BATCH_SIZE) {
    parts.push(items.slice(start, start + BATCH_SIZE));
  }
  return parts;
}

/** Fisher-Yates shuffle with the seeded generator. */
function shuffle<T>(items: readonly T[], random: Random): T[] {
  const shuffled = [...items];
  for (let index = shuffled.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [shuffled[index], shuffled[other]] = [shuffled[other] as T, shuffled[index] as T];
  }
  return shuffled;
}
