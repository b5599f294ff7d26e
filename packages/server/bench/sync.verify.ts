import type { MutationResult, SyncChange } from '@avior/contract';
import type { SentRequest } from './sync.load.ts';
import { answerKey, type StoredSyncState } from './sync.stored.ts';
import type { DeviceWorkload, Edit } from './sync.workload.ts';

/** One correctness check: passed when it found no mismatch. */
export interface SyncCheck {
  readonly name: string;
  readonly mismatches: number;
  /** Counts behind `mismatches`, naming what was compared. */
  readonly detail: string;
}

export interface SyncVerification {
  readonly checks: readonly SyncCheck[];
  readonly figures: Readonly<Record<string, number>>;
}

export interface VerifyInput {
  readonly devices: readonly DeviceWorkload[];
  /** Every push request sent, with its response. */
  readonly requests: readonly SentRequest[];
  readonly surveyIds: readonly string[];
  readonly stored: StoredSyncState;
  readonly pulled: readonly SyncChange[];
}

/**
 * A mutation the server received, with its result: the first one returned in a 200 response,
 * or the stored one when every request carrying the mutation went unanswered.
 */
interface Received {
  readonly key: string;
  readonly edit: Edit;
  readonly result: MutationResult;
}

/** The mutations pushed to one answer and the one with the highest HLC. */
interface AnswerHistory {
  readonly count: number;
  readonly winner: Edit;
}

/**
 * Compares the results returned to the devices with what the server stored and serves. The
 * mutations pushed to an answer are those acknowledged in a 200 response, plus those whose
 * requests all went unanswered (timed out) but which the server recorded, so a run cut short
 * by its time limit still verifies. Every mutation of one answer carries a different value (the
 * two devices disagree), so the server records a conflict for each but the first to arrive, in
 * any arrival order.
 */
export function verifySync(input: VerifyInput): SyncVerification {
  const { acknowledged, unanswered, malformed, retries } = readResponses(input);
  const received = withStoredResults(acknowledged, unanswered, input.stored);
  const histories = answerHistories(received);
  const checks = [
    checkMutationsRecorded(acknowledged, unanswered, malformed, input.stored),
    checkRetries(retries),
    checkNoneRejected(received),
    checkStoredValues(histories, input.stored),
    checkStoredNotes(histories, input.stored),
    checkNoDuplicates(received, histories, input.stored, input.pulled),
    checkConflicts(received, histories, input.stored),
    checkPulledWinners(histories, input.pulled),
  ];

  const statuses = countBy([...received.values()].map((entry) => entry.result.status));
  return {
    checks,
    figures: {
      mutationsAcknowledged: acknowledged.size,
      mutationsUnanswered: unanswered.size,
      mutationsUnansweredButRecorded: received.size - acknowledged.size,
      answersTouched: histories.size,
      applied: statuses.get('applied') ?? 0,
      superseded: statuses.get('superseded') ?? 0,
      duplicate: statuses.get('duplicate') ?? 0,
      rejected: statuses.get('rejected') ?? 0,
      conflictsRecorded: countConflicts(input.stored),
      conflictsExpected: expectedConflicts(histories),
      repeatedBatchesCompared: retries.length,
      changesPulled: input.pulled.length,
      answersWhoseLastPulledChangeIsNotStored: countLastPulledNotStored(input),
    },
  };
}

function readResponses(input: VerifyInput) {
  const acknowledged = new Map<string, Received>();
  const sent = new Map<string, Omit<Received, 'result'>>();
  const copies = new Map<string, string[]>();
  let malformed = 0;
  for (const request of input.requests) {
    const batch = input.devices[request.device]?.batches[request.batch];
    const surveyId = input.surveyIds[batch?.survey ?? -1] ?? '';
    for (const edit of batch?.edits ?? []) {
      sent.set(edit.clientMutationId, { key: answerKey(surveyId, edit.questionId), edit });
    }
    if (request.status !== 200) continue;

    const results = (request.body as { results?: MutationResult[] } | undefined)?.results;
    if (!batch || results?.length !== batch.edits.length) {
      malformed += 1;
      continue;
    }

    batch.edits.forEach((edit, index) => {
      const result = results[index];
      if (result?.clientMutationId !== edit.clientMutationId) malformed += 1;
      else if (!acknowledged.has(edit.clientMutationId)) {
        acknowledged.set(edit.clientMutationId, {
          key: answerKey(surveyId, edit.questionId),
          edit,
          result,
        });
      }
    });
    const batchKey = `${request.device}/${request.batch}`;
    copies.set(batchKey, [...(copies.get(batchKey) ?? []), JSON.stringify(results)]);
  }

  const unanswered = new Map([...sent].filter(([id]) => !acknowledged.has(id)));
  const retries = [...copies.values()].filter((bodies) => bodies.length > 1);
  return { acknowledged, unanswered, malformed, retries };
}

/** Adds the unanswered mutations that the server recorded, with their stored results. */
function withStoredResults(
  acknowledged: ReadonlyMap<string, Received>,
  unanswered: ReadonlyMap<string, Omit<Received, 'result'>>,
  stored: StoredSyncState,
): Map<string, Received> {
  const received = new Map(acknowledged);
  for (const [id, entry] of unanswered) {
    const result = stored.mutations.get(id) as MutationResult | undefined;
    if (result) received.set(id, { ...entry, result });
  }
  return received;
}

function answerHistories(received: ReadonlyMap<string, Received>) {
  const histories = new Map<string, AnswerHistory>();
  for (const { key, edit } of received.values()) {
    const known = histories.get(key);
    const winner = known && known.winner.hlc > edit.hlc ? known.winner : edit;
    histories.set(key, { count: (known?.count ?? 0) + 1, winner });
  }
  return histories;
}

function checkMutationsRecorded(
  acknowledged: ReadonlyMap<string, Received>,
  unanswered: ReadonlyMap<string, unknown>,
  malformed: number,
  stored: StoredSyncState,
): SyncCheck {
  let missing = 0;
  let differing = 0;
  for (const [id, entry] of acknowledged) {
    const result = stored.mutations.get(id);
    if (result === undefined) missing += 1;
    else if (!sameResult(result as MutationResult, entry.result)) differing += 1;
  }
  const neverSent = [...stored.mutations.keys()].filter(
    (id) => !acknowledged.has(id) && !unanswered.has(id),
  ).length;

  return {
    name: 'every mutation id recorded exactly once',
    mismatches: missing + differing + neverSent + malformed,
    detail:
      `${acknowledged.size} ids acknowledged and ${unanswered.size} sent without an answer, ` +
      `${stored.mutations.size} stored: ${missing} acknowledged but missing, ${neverSent} ` +
      `never sent, ${differing} with another stored result, ${malformed} results not ` +
      'matching their mutation',
  };
}

function checkRetries(retries: readonly (readonly string[])[]): SyncCheck {
  const differing = retries.filter((bodies) => bodies.some((body) => body !== bodies[0])).length;
  return {
    name: 'a repeated batch returns the results of its first push',
    mismatches: differing,
    detail: `${retries.length} repeated batches answered twice, ${differing} with other results`,
  };
}

function checkNoneRejected(received: ReadonlyMap<string, Received>): SyncCheck {
  const statuses = countBy([...received.values()].map((entry) => entry.result.status));
  const refused = (statuses.get('rejected') ?? 0) + (statuses.get('duplicate') ?? 0);
  return {
    name: 'no valid mutation rejected or marked duplicate',
    mismatches: refused,
    detail: `statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  };
}

function checkStoredValues(
  histories: ReadonlyMap<string, AnswerHistory>,
  stored: StoredSyncState,
): SyncCheck {
  let missing = 0;
  let wrongValue = 0;
  let wrongClock = 0;
  for (const [key, { winner }] of histories) {
    const answer = stored.answers.get(key);
    if (!answer) missing += 1;
    else if (!sameJson(answer.value, winner.value)) wrongValue += 1;
    if (answer && stored.clocks.get(key) !== winner.hlc) wrongClock += 1;
  }

  return {
    name: 'stored value and clock are those of the highest HLC',
    mismatches: missing + wrongValue + wrongClock,
    detail:
      `${histories.size} answers: ${missing} missing, ${wrongValue} with another value, ` +
      `${wrongClock} with another clock`,
  };
}

function checkStoredNotes(
  histories: ReadonlyMap<string, AnswerHistory>,
  stored: StoredSyncState,
): SyncCheck {
  let wrongNote = 0;
  let staleNote = 0;
  for (const [key, { winner }] of histories) {
    const note = stored.answers.get(key)?.note ?? null;
    if (note === (winner.note ?? null)) continue;

    wrongNote += 1;
    if (winner.note === undefined) staleNote += 1;
  }

  return {
    name: 'stored note is that of the highest HLC',
    mismatches: wrongNote,
    detail:
      `${histories.size} answers: ${wrongNote} with another note, ${staleNote} of them keeping ` +
      'a note although the highest-HLC mutation has none',
  };
}

function checkNoDuplicates(
  received: ReadonlyMap<string, Received>,
  histories: ReadonlyMap<string, AnswerHistory>,
  stored: StoredSyncState,
  pulled: readonly SyncChange[],
): SyncCheck {
  const extraAnswers = [...stored.answers.keys()].filter((key) => !histories.has(key)).length;
  const applied = new Set(
    [...received.values()]
      .filter((entry) => entry.result.status === 'applied')
      .map((entry) => `${entry.key}@${entry.edit.hlc}`),
  );
  const seen = countBy(
    pulled.map((change) => `${answerKey(change.surveyId, change.questionId)}@${change.hlc}`),
  );
  const missing = [...applied].filter((change) => !seen.has(change)).length;
  const unexpected = [...seen.keys()].filter((change) => !applied.has(change)).length;
  const repeated = [...seen.values()].reduce((total, count) => total + count - 1, 0);

  return {
    name: 'one answer row per question and one change per applied mutation',
    mismatches: extraAnswers + missing + unexpected + repeated,
    detail:
      `${stored.answers.size} answer rows for ${histories.size} answers pushed; ` +
      `${pulled.length} changes pulled for ${applied.size} applied mutations: ${missing} ` +
      `missing, ${repeated} repeated, ${unexpected} matching no applied mutation`,
  };
}

function checkConflicts(
  received: ReadonlyMap<string, Received>,
  histories: ReadonlyMap<string, AnswerHistory>,
  stored: StoredSyncState,
): SyncCheck {
  let wrongCount = 0;
  for (const [key, history] of histories) {
    if ((stored.conflicts.get(key)?.length ?? 0) !== history.count - 1) wrongCount += 1;
  }
  const reported = new Set(
    [...received.values()].flatMap((entry) =>
      entry.result.conflictId ? [entry.result.conflictId] : [],
    ),
  );
  const recorded = new Set([...stored.conflicts.values()].flat());
  const unreported = [...recorded].filter((id) => !reported.has(id)).length;
  const unrecorded = [...reported].filter((id) => !recorded.has(id)).length;

  return {
    name: 'one conflict per overwritten or superseded value',
    mismatches: wrongCount + unreported + unrecorded,
    detail:
      `${recorded.size} conflicts recorded, ${expectedConflicts(histories)} expected: ` +
      `${wrongCount} answers with another count, ${unreported} never returned as a ` +
      `conflictId, ${unrecorded} returned but not stored`,
  };
}

function checkPulledWinners(
  histories: ReadonlyMap<string, AnswerHistory>,
  pulled: readonly SyncChange[],
): SyncCheck {
  const latest = new Map<string, SyncChange>();
  for (const change of pulled) {
    const key = answerKey(change.surveyId, change.questionId);
    const known = latest.get(key);
    if (!known || change.hlc > known.hlc) latest.set(key, change);
  }
  let wrong = 0;
  for (const [key, { winner }] of histories) {
    const change = latest.get(key);
    if (change?.hlc !== winner.hlc || !sameJson(change.value, winner.value)) wrong += 1;
  }

  return {
    name: 'pull serves the highest-HLC value of every answer',
    mismatches: wrong,
    detail: `${histories.size} answers, ${wrong} whose highest-HLC pulled change differs`,
  };
}

/** Counts answers whose last change in pull order is not the stored value. */
function countLastPulledNotStored(input: VerifyInput): number {
  const last = new Map<string, unknown>();
  for (const change of input.pulled) {
    last.set(answerKey(change.surveyId, change.questionId), change.value);
  }
  return [...last].filter(([key, value]) => !sameJson(input.stored.answers.get(key)?.value, value))
    .length;
}

function expectedConflicts(histories: ReadonlyMap<string, AnswerHistory>): number {
  return [...histories.values()].reduce((total, history) => total + history.count - 1, 0);
}

function countConflicts(stored: StoredSyncState): number {
  return [...stored.conflicts.values()].reduce((total, ids) => total + ids.length, 0);
}

// jsonb does not keep key order, so stored results are compared field by field.
function sameResult(a: MutationResult, b: MutationResult): boolean {
  return (
    a.clientMutationId === b.clientMutationId &&
    a.status === b.status &&
    a.conflictId === b.conflictId &&
    a.code === b.code &&
    a.message === b.message
  );
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
