import {
  formatHlc,
  type FacilityView,
  type MediaView,
  type NotificationView,
  type ReportView,
  type SurveySummary,
  type SurveyView,
  type TemplateView,
} from '@avior/contract';
import { toActionError } from './action-errors.ts';
import { fetchConflicts } from './conflicts.ts';
import type { LocalAnswer, LocalFacility, LocalSurvey } from './db.ts';
import type { Device } from './device.ts';
import { ActionError, ApiError } from './errors.ts';

// Downloads from the server into the device database. Lists replace what the device has
// (facilities, surveys, conflicts); answers from the server never overwrite an answer with a
// local edit waiting (dirty 1). Templates are fetched once per id because a template never
// changes after it is published.

const PAGE_SIZE = 500;
const DETAIL_CONCURRENCY = 4;
const NOTIFICATION_LIMIT = 200;
const OPEN_STATUSES = new Set(['assigned', 'in_progress']);

/** See index.ts. Concurrent calls share one download. */
export function refreshFromServer(device: Device): Promise<void> {
  device.refreshing ??= downloadEverything(device).finally(() => {
    device.refreshing = null;
  });
  return device.refreshing;
}

async function downloadEverything(device: Device): Promise<void> {
  const user = device.user;
  if (!user) throw new ActionError('signed_out', 'Sign in to download surveys');

  try {
    const summaries = await fetchPages<SurveySummary>(device, '/v1/surveys');
    await storeSurveyList(device, summaries);
    await fetchMissingTemplates(
      device,
      summaries.map((survey) => survey.template.id),
    );
    await storeFacilities(device, await fetchPages<FacilityView>(device, '/v1/facilities'));
    if (user.role === 'inspector') await fetchInspectorDetails(device, summaries);
    await fetchConflicts(device);
    await fetchNotifications(device);
  } catch (error) {
    throw toActionError(error, 'Downloading surveys');
  }
}

/** Fetches one survey in full: answers, findings, photos, report and its template. */
export async function loadSurveyDetail(device: Device, surveyId: string): Promise<void> {
  const id = encodeURIComponent(surveyId);
  try {
    const view = await device.api.get<SurveyView>(`/v1/surveys/${id}`);
    await storeSurveyDetail(device, view);
    await fetchMissingTemplates(device, [view.template.id]);
    await storeMedia(
      device,
      surveyId,
      await device.api.get<MediaView[]>(`/v1/surveys/${id}/media`),
    );
    await storeReport(device, surveyId, await fetchReport(device, surveyId));
  } catch (error) {
    throw toActionError(error, 'Loading the survey');
  }
}

/** Asks the server for a new PDF report and stores its pending state. */
export async function requestReport(device: Device, surveyId: string): Promise<void> {
  const path = `/v1/surveys/${encodeURIComponent(surveyId)}/report`;
  let report: ReportView;
  try {
    report = await device.api.post<ReportView>(path, {});
  } catch (error) {
    throw toActionError(error, 'Requesting a report');
  }
  await storeReport(device, surveyId, report);
}

/** Fetches the report of a survey; null when it has none yet. */
export async function fetchReport(device: Device, surveyId: string): Promise<ReportView | null> {
  try {
    return await device.api.get<ReportView>(`/v1/surveys/${encodeURIComponent(surveyId)}/report`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export async function storeReport(
  device: Device,
  surveyId: string,
  report: ReportView | null,
): Promise<void> {
  if (!report) {
    await device.db.reports.delete(surveyId);
    return;
  }
  await device.db.reports.put({ ...report, fetchedAt: new Date(device.now()).toISOString() });
}

async function fetchPages<T>(device: Device, path: string): Promise<T[]> {
  const rows: T[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await device.api.get<T[]>(`${path}?limit=${PAGE_SIZE}&offset=${offset}`);
    rows.push(...page);
    if (page.length < PAGE_SIZE) return rows;
  }
}

/**
 * Stores the survey list. Surveys the server no longer lists leave the device with their
 * answers, unless work on them still waits to sync.
 */
async function storeSurveyList(device: Device, summaries: readonly SurveySummary[]) {
  const { db } = device;
  const fetchedAt = new Date(device.now()).toISOString();
  await db.transaction(
    'rw',
    [db.surveys, db.answers, db.mutations, db.photos, db.submissions, db.media, db.reports],
    async () => {
      const listed = new Set(summaries.map((summary) => summary.id));
      const existing = await db.surveys.bulkGet(summaries.map((summary) => summary.id));
      await db.surveys.bulkPut(
        summaries.map((summary, index) => ({ ...existing[index], ...summary, fetchedAt })),
      );

      const gone = (await db.surveys.toCollection().primaryKeys()).filter((id) => !listed.has(id));
      for (const surveyId of gone) await removeSurveyUnlessBusy(device, surveyId);
    },
  );
}

async function removeSurveyUnlessBusy(device: Device, surveyId: string): Promise<void> {
  const { db } = device;
  const busy =
    (await db.mutations.where('surveyId').equals(surveyId).count()) +
    (await db.photos.where('surveyId').equals(surveyId).count()) +
    (await db.submissions.where('surveyId').equals(surveyId).count());
  if (busy > 0) return;

  await db.surveys.delete(surveyId);
  await db.answers.where('surveyId').equals(surveyId).delete();
  await db.media.where('surveyId').equals(surveyId).delete();
  await db.reports.delete(surveyId);
}

async function fetchMissingTemplates(device: Device, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  const stored = await device.db.templates.bulkGet(unique);
  for (const [index, id] of unique.entries()) {
    if (stored[index]) continue;
    const template = await device.api.get<TemplateView>(`/v1/templates/${encodeURIComponent(id)}`);
    await device.db.templates.put(template);
  }
}

async function storeFacilities(device: Device, facilities: readonly FacilityView[]) {
  const { db } = device;
  const rows: LocalFacility[] = facilities.map((facility) => ({
    ...facility,
    searchText: `${facility.name} ${facility.address} ${facility.kind}`.toLowerCase(),
  }));
  await db.transaction('rw', db.facilities, async () => {
    const listed = new Set(rows.map((row) => row.id));
    const gone = (await db.facilities.toCollection().primaryKeys()).filter((id) => !listed.has(id));
    await db.facilities.bulkDelete(gone);
    await db.facilities.bulkPut(rows);
  });
}

/**
 * An inspector works on open surveys offline, so their answers come down with the list. A
 * closed survey is fetched once, for its findings.
 */
async function fetchInspectorDetails(device: Device, summaries: readonly SurveySummary[]) {
  const stored = await device.db.surveys.bulkGet(summaries.map((summary) => summary.id));
  const wanted = summaries.filter(
    (summary, index) => OPEN_STATUSES.has(summary.status) || !stored[index]?.findings,
  );

  const lane = async () => {
    for (let next = wanted.shift(); next; next = wanted.shift()) {
      const id = encodeURIComponent(next.id);
      const view = await device.api.get<SurveyView>(`/v1/surveys/${id}`);
      await storeSurveyDetail(device, view);
      // Photos taken on another device have no copy here, so the runner previews them from the
      // server's thumbnails.
      if (await hasPhotosFromElsewhere(device, view)) {
        await storeMedia(
          device,
          next.id,
          await device.api.get<MediaView[]>(`/v1/surveys/${id}/media`),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: DETAIL_CONCURRENCY }, lane));
}

const MEDIA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tells whether a survey's answers name photos that this device did not take. */
async function hasPhotosFromElsewhere(device: Device, view: SurveyView): Promise<boolean> {
  const ids = view.answers.flatMap((answer) =>
    Array.isArray(answer.value) ? answer.value.filter((item) => MEDIA_ID.test(item)) : [],
  );
  if (ids.length === 0) return false;
  const local = await device.db.photos.bulkGet(ids);
  return local.some((photo) => photo === undefined);
}

/** Stores a full survey; answers with a local edit waiting keep the local value. */
export async function storeSurveyDetail(device: Device, view: SurveyView): Promise<void> {
  const { db } = device;
  const { answers, ...survey } = view;
  await db.transaction('rw', [db.surveys, db.answers], async () => {
    const existing = await db.surveys.get(view.id);
    const row: LocalSurvey = {
      ...existing,
      ...survey,
      fetchedAt: new Date(device.now()).toISOString(),
    };
    await db.surveys.put(row);

    const local = await db.answers.where('surveyId').equals(view.id).toArray();
    const byQuestion = new Map(local.map((answer) => [answer.questionId, answer]));
    const rows: LocalAnswer[] = [];
    for (const answer of answers) {
      const current = byQuestion.get(answer.questionId);
      if (current?.dirty) continue;
      rows.push({
        surveyId: view.id,
        questionId: answer.questionId,
        value: answer.value,
        note: answer.note,
        hlc: current?.updatedAt === answer.updatedAt ? current.hlc : serverStamp(answer.updatedAt),
        updatedAt: answer.updatedAt,
        dirty: 0,
      });
    }
    await db.answers.bulkPut(rows);
  });
}

/**
 * A stand-in stamp for an answer read from the survey, which carries only its update time. It
 * matters little: the merge rule compares stamps only against dirty answers, which a download
 * never overwrites.
 */
function serverStamp(updatedAt: string): string {
  const wallMs = Date.parse(updatedAt);
  return formatHlc({ wallMs: Number.isNaN(wallMs) ? 0 : wallMs, counter: 0, node: 'server' });
}

async function storeMedia(device: Device, surveyId: string, media: readonly MediaView[]) {
  const { db } = device;
  const fetchedAt = new Date(device.now()).toISOString();
  await db.transaction('rw', db.media, async () => {
    await db.media.where('surveyId').equals(surveyId).delete();
    await db.media.bulkPut(media.map((item) => ({ ...item, fetchedAt })));
  });
}

/**
 * Stores the latest notifications. A notification read on the device while offline keeps its
 * read time, and the read mark is sent again.
 */
export async function fetchNotifications(device: Device): Promise<void> {
  const { db } = device;
  const views = await device.api.get<NotificationView[]>(
    `/v1/notifications?limit=${NOTIFICATION_LIMIT}`,
  );
  const local = await db.notifications.bulkGet(views.map((view) => view.id));
  const readHere = views.filter((view, index) => !view.readAt && local[index]?.readAt);
  await db.notifications.bulkPut(
    views.map((view, index) => ({ ...view, readAt: view.readAt ?? local[index]?.readAt ?? null })),
  );
  for (const view of readHere) await sendRead(device, view.id);
}

/** Tells the server a notification was read; returns its view, or null when that failed. */
export async function sendRead(device: Device, id: string): Promise<NotificationView | null> {
  try {
    return await device.api.post<NotificationView>(
      `/v1/notifications/${encodeURIComponent(id)}/read`,
      {},
    );
  } catch (error) {
    device.logger.warn(`notification read mark not sent for notification ${id}`, error);
    return null;
  }
}
