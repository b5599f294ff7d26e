import {
  evaluateSurvey,
  listVisibleQuestionIds,
  type AnswerValue,
  type MediaView,
  type Question,
  type TemplateDefinition,
} from '@avior/contract';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  assignDemoSurvey,
  INSPECTOR_EMAIL,
  MANAGER_EMAIL,
  type Assignment,
} from './support/api.ts';
import {
  question,
  readDeviceTable,
  readShownNumber,
  readSyncBadge,
  saveScreenshot,
  scrollToCentre,
  signIn,
  waitForOfflineShell,
  waitForSyncedDevice,
} from './support/app.ts';
import { cleanUp } from './support/cleanup.ts';
import { DESKTOP, launchChromium, openDevice } from './support/chromium.ts';
import { photoPath, PHOTOS, readCaptureTime } from './support/photos.ts';
import {
  answerOpenSection,
  enterNote,
  openSection,
  plainAnswer,
  type EnteredAnswers,
} from './support/runner.ts';
import { startAviorServer, type AviorServer } from './support/server.ts';
import { skipStepsAfterFailure } from './support/steps.ts';

interface DeviceAnswer {
  readonly questionId: string;
  readonly value: AnswerValue | null;
  readonly note: string | null;
}

interface DevicePhoto {
  readonly id: string;
  readonly questionId: string;
  readonly status: string;
  readonly blob: { blobSize: number } | null;
  readonly thumbnail: { blobSize: number } | null;
}

const ATTACHED_PHOTOS = [PHOTOS.sprinkler, PHOTOS.extinguisher, PHOTOS.electricalPanelLarge];
const DERIVATIVE_TIERS = ['w2048', 'w1024', 'thumb320'];

/** The parts of the template the test answers in special ways, all in its first section. */
interface SurveyPlan {
  readonly definition: TemplateDefinition;
  readonly questions: ReadonlyMap<string, Question>;
  /** A required yes/no question answered "no", which raises a flag. */
  readonly flagged: Question;
  /** Optional questions answered on top of the required ones. */
  readonly optional: ReadonlySet<string>;
  readonly notes: ReadonlyMap<string, string>;
  readonly photoQuestion: Question;
}

function planSurvey(definition: TemplateDefinition): SurveyPlan {
  const first = definition.sections[0]!.questions;
  const flagged = first.find(
    (item) =>
      item.required &&
      item.type === 'yes_no_na' &&
      !item.visibleIf &&
      item.rules?.some((rule) => rule.when.operator === 'equals' && rule.when.value === 'no'),
  );
  const photoQuestion = first.find((item) => item.type === 'photo');
  const optional = first
    .filter((item) => !item.required && !item.visibleIf && item.type !== 'photo')
    .slice(0, 3)
    .map((item) => item.id);
  const requiredText = first.find((item) => item.required && item.type === 'text');
  if (!flagged || !photoQuestion || optional.length < 3 || !requiredText) {
    throw new Error(
      'the first section lacks a flagged yes/no, a photo, a required text or 3 optional questions',
    );
  }

  return {
    definition,
    questions: new Map(definition.sections.flatMap((s) => s.questions).map((q) => [q.id, q])),
    flagged,
    optional: new Set(optional),
    notes: new Map([
      [flagged.id, 'Valve chained open; tag missing since the last service.'],
      [requiredText.id, 'Number copied from the panel label.'],
    ]),
    photoQuestion,
  };
}

function pickAnswer(plan: SurveyPlan, item: Question): AnswerValue | null {
  if (item.id === plan.flagged.id) return 'no';
  if (item.required || plan.optional.has(item.id)) return plainAnswer(item);
  return null;
}

describe('inspection offline', () => {
  skipStepsAfterFailure();
  let server: AviorServer | undefined;
  let browser: Browser | undefined;
  let manager: ApiClient;
  let assignment: Assignment;
  let plan: SurveyPlan;
  let inspectorDevice: BrowserContext;
  let page: Page;
  const entered: EnteredAnswers = new Map();
  let photoIds: string[] = [];

  beforeAll(async () => {
    server = await startAviorServer();
    manager = await ApiClient.signIn(server.url, MANAGER_EMAIL);
    assignment = await assignDemoSurvey(manager);
    plan = planSurvey(assignment.template.definition);
    browser = await launchChromium();
    inspectorDevice = await openDevice(browser, server.url);
    page = await inspectorDevice.newPage();
  });

  afterAll(() =>
    cleanUp(
      () => browser?.close(),
      () => server?.stop(),
    ),
  );

  it('signs in online and lists the assigned survey', async () => {
    await page.goto('/');
    await page.getByTestId('login-email').fill(INSPECTOR_EMAIL);
    await saveScreenshot(page, 'sign-in');
    await signIn(page, INSPECTOR_EMAIL);
    const row = page.locator(`[data-testid="survey-row"][data-survey-id="${assignment.surveyId}"]`);
    await row.waitFor();

    expect(await row.textContent()).toContain(assignment.facility.name);
    await saveScreenshot(page, 'survey-list');
  });

  it('keeps the opened survey on the device', async () => {
    await page
      .locator(`[data-testid="survey-row"][data-survey-id="${assignment.surveyId}"]`)
      .click();
    await page.getByTestId('runner').waitFor();
    await question(page, plan.flagged.id).waitFor();
    await waitForOfflineShell(page);
    const templates = await readDeviceTable<{ id: string }>(page, 'templates');
    const surveys = await readDeviceTable<{ id: string }>(page, 'surveys');

    expect(templates.map((t) => t.id)).toContain(assignment.template.id);
    expect(surveys.map((s) => s.id)).toContain(assignment.surveyId);
  });

  it('shows the offline state', async () => {
    await inspectorDevice.setOffline(true);

    await page.getByTestId('offline-banner').waitFor();
    await expect.poll(() => page.getByTestId('online-status').textContent()).toContain('Offline');
  });

  it('answers every required question offline', async () => {
    // The first section is answered with pointer clicks. The 200-odd plain answers after it run
    // the same handlers through DOM clicks: answering everything with pointer clicks took 45 to
    // 90 s on a loaded 2-core machine, against about 20 s this way.
    for (const [index, section] of plan.definition.sections.entries()) {
      await openSection(page, plan.definition, section.id);
      const mode = index === 0 ? 'pointer' : 'dom';
      await answerOpenSection(page, plan.definition, (q) => pickAnswer(plan, q), entered, mode);
    }
    const visible = listVisibleQuestionIds(plan.definition, entered);
    const missing = evaluateSurvey(plan.definition, entered).missingRequired.map(
      (m) => m.questionId,
    );
    const requiredVisible = [...visible].filter((id) => plan.questions.get(id)?.required);

    expect(missing).toEqual([]);
    expect(requiredVisible.length).toBeGreaterThan(200);
    for (const id of plan.optional) expect(entered.has(id), id).toBe(true);
  });

  it('shows a flag on the answer that raises one', async () => {
    await openSection(page, plan.definition, plan.definition.sections[0]!.id);
    const card = question(page, plan.flagged.id);
    const flag = card.getByTestId('question-flag');
    await flag.waitFor();

    expect(await flag.getAttribute('data-severity')).toBe(plan.flagged.rules![0]!.severity);
    await scrollToCentre(card);
    await saveScreenshot(page, 'runner-flag');
  });

  it('saves notes offline', async () => {
    for (const [questionId, note] of plan.notes) await enterNote(page, questionId, note);

    await expect
      .poll(
        async () => {
          const answers = await readDeviceTable<DeviceAnswer>(page, 'answers');
          return [...plan.notes.keys()].map((id) => answers.find((a) => a.questionId === id)?.note);
        },
        { timeout: 10_000 },
      )
      .toEqual([...plan.notes.values()]);
  });

  it('attaches real photos offline', async () => {
    const card = question(page, plan.photoQuestion.id);
    await card.scrollIntoViewIfNeeded();
    for (const fileName of ATTACHED_PHOTOS) {
      await card.getByTestId('photo-input').setInputFiles(photoPath(fileName));
    }
    const thumbs = card.getByTestId('photo-thumb');

    await expect.poll(() => thumbs.count(), { timeout: 30_000 }).toBe(ATTACHED_PHOTOS.length);
    await expect
      .poll(() => countLoadedImages(page, plan.photoQuestion.id), { timeout: 30_000 })
      .toBe(ATTACHED_PHOTOS.length);
    photoIds = await thumbs.evaluateAll((items) =>
      items.map((item) => (item as HTMLElement).dataset.photoId ?? ''),
    );
    await scrollToCentre(thumbs.last());
    await saveScreenshot(page, 'photo-previews');
  });

  it('stores every answer and photo on the device', async () => {
    await expect
      .poll(
        async () => {
          const answers = await readDeviceTable<DeviceAnswer>(page, 'answers');
          const stored = new Map(answers.map((answer) => [answer.questionId, answer.value]));
          return [...entered]
            .filter(([id, value]) => !sameValue(stored.get(id), value))
            .map(([id]) => id);
        },
        { timeout: 20_000 },
      )
      .toEqual([]);
    const photos = await readDeviceTable<DevicePhoto>(page, 'photos');

    expect(photos.map((photo) => photo.id).sort()).toEqual([...photoIds].sort());
    for (const photo of photos) expect(photo.blob?.blobSize, photo.id).toBeGreaterThan(0);
  });

  it('reloads offline with answers and photos intact', async () => {
    const response = await page.reload();
    await page.getByTestId('runner').waitFor();
    await openSection(page, plan.definition, plan.definition.sections[0]!.id);

    expect(response?.fromServiceWorker()).toBe(true);
    expect(await page.getByTestId('online-status').textContent()).toContain('Offline');
    await expectAnswersShown(page, entered, plan.definition.sections[0]!.questions);
    await expect
      .poll(() => countLoadedImages(page, plan.photoQuestion.id), { timeout: 20_000 })
      .toBe(ATTACHED_PHOTOS.length);
    await expect
      .poll(() => question(page, plan.flagged.id).getByTestId('note-input').inputValue())
      .toBe(plan.notes.get(plan.flagged.id));
  });

  it('queues the submission offline', async () => {
    await page.getByTestId('submit-survey').click();

    await expect.poll(() => readSyncBadge(page), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('submit-error').count()).toBe(0);
    await expect
      .poll(async () => (await readDeviceTable<{ surveyId: string }>(page, 'submissions')).length)
      .toBe(1);
  });

  it('lists the waiting work on the sync screen', async () => {
    await page.getByTestId('nav-sync').click();
    await page.getByTestId('sync-screen').waitFor();

    await expect.poll(() => readShownNumber(page, 'sync-waiting')).toBeGreaterThan(0);
    await saveScreenshot(page, 'sync-screen');
  });

  it('syncs everything after the network returns', async () => {
    await inspectorDevice.setOffline(false);

    await expect.poll(() => page.getByTestId('online-status').textContent()).toContain('Online');
    await waitForSyncedDevice(page, 90_000);
  });

  it('puts every answer and note on the server', async () => {
    const survey = await manager.survey(assignment.surveyId);
    const onServer = new Map(survey.answers.map((answer) => [answer.questionId, answer]));
    const differing = [...entered]
      .filter(([id]) => id !== plan.photoQuestion.id)
      .filter(([id, value]) => !sameValue(onServer.get(id)?.value ?? null, value))
      .map(([id]) => id);
    const answerMap = new Map(
      survey.answers.flatMap((a) => (a.value === null ? [] : [[a.questionId, a.value]])),
    );

    expect(survey.status).toBe('submitted');
    expect(differing).toEqual([]);
    expect(evaluateSurvey(plan.definition, answerMap).missingRequired).toEqual([]);
    for (const [id, note] of plan.notes) expect(onServer.get(id)?.note, id).toBe(note);
    expect(survey.findings.map((finding) => finding.questionId)).toContain(plan.flagged.id);
  });

  it('processes the photos with their capture times', async () => {
    const processed = await waitForProcessedMedia(manager, assignment.surveyId, photoIds.length);
    const photoAnswer = (await manager.survey(assignment.surveyId)).answers.find(
      (answer) => answer.questionId === plan.photoQuestion.id,
    );
    const captureTimes = await Promise.all(ATTACHED_PHOTOS.map((name) => readCaptureTime(name)));

    expect(processed.map((media) => media.id).sort()).toEqual([...photoIds].sort());
    expect([...(photoAnswer?.value as string[])].sort()).toEqual([...photoIds].sort());
    for (const media of processed) {
      expect(
        media.derivatives.map((d) => d.tier),
        media.id,
      ).toEqual(expect.arrayContaining(DERIVATIVE_TIERS));
      expect(media.questionId, media.id).toBe(plan.photoQuestion.id);
    }
    expect(processed.map((media) => toUtcSeconds(media.metadata?.capturedAt)).sort()).toEqual(
      [...captureTimes].sort(),
    );
  });

  it('generates the report', async () => {
    await expect
      .poll(async () => (await manager.report(assignment.surveyId)).status, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe('ready');
    const report = await manager.report(assignment.surveyId);
    const pdf = await fetch(new URL(report.download!.url, server!.url));

    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('tells the inspector that the report is ready', async () => {
    await page.getByTestId('nav-notifications').click();
    const item = page.getByTestId('notification-item').filter({ hasText: 'report ready' });

    await item.first().waitFor({ timeout: 30_000 });
  });

  it('shows the survey to the manager', async () => {
    const office = await openDevice(browser!, server!.url, DESKTOP);
    try {
      const managerPage = await office.newPage();
      await signIn(managerPage, MANAGER_EMAIL);
      await managerPage.getByTestId('nav-manage').click();
      await managerPage
        .locator(`[data-testid="manage-survey-row"][data-survey-id="${assignment.surveyId}"]`)
        .click();
      await managerPage.getByTestId('survey-detail').waitFor();
      await managerPage.getByTestId('report-link').waitFor({ timeout: 30_000 });
      const answered = [...entered.keys()].filter((id) => id !== plan.photoQuestion.id);

      await expect
        .poll(() => managerPage.getByTestId('detail-photo').count(), { timeout: 20_000 })
        .toBe(photoIds.length);
      expect(await managerPage.getByTestId('detail-answer').count()).toBeGreaterThanOrEqual(
        answered.length,
      );
      expect(await managerPage.getByTestId('detail-finding').count()).toBeGreaterThan(0);
      await saveScreenshot(managerPage, 'manager-survey-detail');
    } finally {
      await office.close();
    }
  });
});

/**
 * A capture time as `YYYY-MM-DDTHH:MM:SS` in UTC when it carries a zone, else as written. The
 * devices run in UTC, so both forms match the EXIF time of the original.
 */
function toUtcSeconds(capturedAt: string | null | undefined): string | undefined {
  if (!capturedAt) return undefined;
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(capturedAt);
  return zoned ? new Date(capturedAt).toISOString().slice(0, 19) : capturedAt.slice(0, 19);
}

function sameValue(actual: AnswerValue | null | undefined, expected: AnswerValue): boolean {
  return JSON.stringify(actual) === JSON.stringify(expected);
}

/** Counts the previews of a photo question whose image has decoded. */
async function countLoadedImages(page: Page, questionId: string): Promise<number> {
  return question(page, questionId)
    .locator('[data-testid="photo-thumb"] img')
    .evaluateAll(
      (images) =>
        images.filter(
          (image) =>
            (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth > 0,
        ).length,
    );
}

/** Checks that the runner shows each entered answer of the given questions. */
async function expectAnswersShown(
  page: Page,
  entered: EnteredAnswers,
  questions: readonly Question[],
): Promise<void> {
  for (const item of questions) {
    const value = entered.get(item.id);
    if (value === undefined || item.type === 'photo') continue;
    const card = question(page, item.id);

    if (item.type === 'yes_no_na') {
      await card.locator(`[data-testid="answer-${value}"][aria-pressed="true"]`).waitFor();
    } else if (item.type === 'text' || item.type === 'date' || item.type === 'number') {
      expect(await card.getByTestId('answer-input').inputValue(), item.id).toBe(String(value));
    } else if (item.type === 'single_choice') {
      expect(await card.getByTestId(`choice-${value}`).isChecked(), item.id).toBe(true);
    }
  }
}

async function waitForProcessedMedia(
  client: ApiClient,
  surveyId: string,
  count: number,
): Promise<MediaView[]> {
  await expect
    .poll(
      async () => (await client.media(surveyId)).filter((m) => m.status === 'processed').length,
      { timeout: 60_000, interval: 500 },
    )
    .toBe(count);
  return client.media(surveyId);
}
