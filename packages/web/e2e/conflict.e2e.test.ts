import type { AnswerValue, Question } from '@avior/contract';
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
  saveScreenshot,
  scrollToCentre,
  signIn,
  waitForSyncedDevice,
} from './support/app.ts';
import { cleanUp } from './support/cleanup.ts';
import { launchChromium, openDevice } from './support/chromium.ts';
import { enterAnswer } from './support/runner.ts';
import { startAviorServer, type AviorServer } from './support/server.ts';
import { skipStepsAfterFailure } from './support/steps.ts';

interface DeviceAnswer {
  readonly questionId: string;
  readonly value: AnswerValue | null;
  readonly hlc: string;
  readonly dirty: 0 | 1;
}

interface Device {
  readonly context: BrowserContext;
  readonly page: Page;
}

const VALUE_A = 'yes';
const VALUE_B = 'no';

describe('conflicting answers from two devices', () => {
  skipStepsAfterFailure();
  let server: AviorServer | undefined;
  let browser: Browser | undefined;
  let manager: ApiClient;
  let assignment: Assignment;
  let contested: Question;
  let deviceA: Device;
  let deviceB: Device;
  let conflictId: string;
  /** The device whose sync screen showed the conflict first; it resolves it. */
  let resolver: Device;

  beforeAll(async () => {
    server = await startAviorServer();
    manager = await ApiClient.signIn(server.url, MANAGER_EMAIL);
    assignment = await assignDemoSurvey(manager);
    const found = assignment.template.definition.sections[0]!.questions.find(
      (item) => item.type === 'yes_no_na' && !item.visibleIf,
    );
    if (!found) throw new Error('the first section has no unconditional yes/no question');
    contested = found;

    browser = await launchChromium();
    deviceA = await openPhone(browser, server.url);
    deviceB = await openPhone(browser, server.url);
  });

  afterAll(() =>
    cleanUp(
      () => browser?.close(),
      () => server?.stop(),
    ),
  );

  async function openPhone(owner: Browser, url: string): Promise<Device> {
    const context = await openDevice(owner, url);
    return { context, page: await context.newPage() };
  }

  async function openSurvey(page: Page): Promise<void> {
    await page.getByTestId('nav-surveys').click();
    await page
      .locator(`[data-testid="survey-row"][data-survey-id="${assignment.surveyId}"]`)
      .click();
    await question(page, contested.id).waitFor();
  }

  async function readContested(page: Page): Promise<DeviceAnswer | undefined> {
    const answers = await readDeviceTable<DeviceAnswer & { surveyId: string }>(page, 'answers');
    return answers.find(
      (answer) => answer.surveyId === assignment.surveyId && answer.questionId === contested.id,
    );
  }

  async function readServerValue(): Promise<AnswerValue | null | undefined> {
    const survey = await manager.survey(assignment.surveyId);
    return survey.answers.find((answer) => answer.questionId === contested.id)?.value;
  }

  async function runSync(page: Page): Promise<void> {
    await page.getByTestId('nav-sync').click();
    await page.getByTestId('sync-now').click();
    await waitForSyncedDevice(page, 60_000);
  }

  it('opens the survey on both devices', async () => {
    for (const device of [deviceA, deviceB]) {
      await signIn(device.page, INSPECTOR_EMAIL);
      await openSurvey(device.page);
    }
  });

  it('records a different answer on each device offline', async () => {
    await deviceA.context.setOffline(true);
    await deviceB.context.setOffline(true);
    await enterAnswer(deviceA.page, contested, VALUE_A);
    await expect.poll(async () => (await readContested(deviceA.page))?.value).toBe(VALUE_A);
    await enterAnswer(deviceB.page, contested, VALUE_B);
    await expect.poll(async () => (await readContested(deviceB.page))?.value).toBe(VALUE_B);
    const stampA = (await readContested(deviceA.page))!.hlc;
    const stampB = (await readContested(deviceB.page))!.hlc;

    expect(stampB > stampA).toBe(true);
  });

  it('applies the answer of device A first', async () => {
    await deviceA.context.setOffline(false);

    await waitForSyncedDevice(deviceA.page, 60_000);
    await expect.poll(readServerValue, { timeout: 10_000 }).toBe(VALUE_A);
  });

  it('lets the later answer of device B win', async () => {
    await deviceB.context.setOffline(false);

    await waitForSyncedDevice(deviceB.page, 60_000);
    await expect.poll(readServerValue, { timeout: 10_000 }).toBe(VALUE_B);
    const conflicts = await manager.conflicts(assignment.surveyId);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.questionId).toBe(contested.id);
    expect(conflicts[0]!.winning.value).toBe(VALUE_B);
    expect(conflicts[0]!.losing.value).toBe(VALUE_A);
    expect(conflicts[0]!.resolvedAt).toBeNull();
    conflictId = conflicts[0]!.id;
  });

  it('shows the conflict on the sync screen of a device', async () => {
    await runSync(deviceA.page);
    await runSync(deviceB.page);
    const rowOn = (device: Device) =>
      device.page.locator(`[data-testid="conflict-row"][data-conflict-id="${conflictId}"]`);
    await expect
      .poll(async () => (await rowOn(deviceA).count()) + (await rowOn(deviceB).count()), {
        timeout: 30_000,
        interval: 250,
        message: `neither device's sync screen lists conflict ${conflictId} after a sync on each`,
      })
      .toBeGreaterThan(0);
    resolver = (await rowOn(deviceA).count()) > 0 ? deviceA : deviceB;

    expect(await readShownNumber(resolver.page, 'sync-conflicts')).toBe(1);
    await scrollToCentre(rowOn(resolver));
    await saveScreenshot(resolver.page, 'sync-conflict');
  });

  it('restores the overwritten answer', async () => {
    const row = resolver.page.locator(
      `[data-testid="conflict-row"][data-conflict-id="${conflictId}"]`,
    );
    await row.getByTestId('resolve-losing').click();

    await row.waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(readServerValue, { timeout: 30_000 }).toBe(VALUE_A);
    const [conflict] = await manager.conflicts(assignment.surveyId);
    expect(conflict?.resolvedAt).not.toBeNull();
  });

  it('brings both devices to the resolved answer', async () => {
    for (const device of [deviceA, deviceB]) {
      await runSync(device.page);
      await expect
        .poll(
          async () => {
            const answer = await readContested(device.page);
            return answer && { value: answer.value, dirty: answer.dirty };
          },
          { timeout: 30_000, interval: 250 },
        )
        .toEqual({ value: VALUE_A, dirty: 0 });
      await openSurvey(device.page);
      await question(device.page, contested.id)
        .locator(`[data-testid="answer-${VALUE_A}"][aria-pressed="true"]`)
        .waitFor();
    }
  });
});
