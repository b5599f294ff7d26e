import 'fake-indexeddb/auto';
import { formatHlc } from '@avior/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { answerEverything } from '../../server/test/support/survey-helpers.ts';
import type { Device } from '../src/data/device.ts';
import {
  loadSurveyDetail,
  markNotificationRead,
  refreshFromServer,
  requestReport,
  resolveConflict,
  setAnswer,
  signIn,
  startBackgroundSync,
  submitSurvey,
  syncNow,
} from '../src/data/index.ts';
import { createTestDevice } from './support/devices.ts';
import {
  assignSurvey,
  createInspectorDevices,
  DEMO_PASSWORD,
  MANAGER_EMAIL,
  questionsOfType,
  startServer,
  storeSurvey,
  type RunningServer,
} from './support/server.ts';

let server: RunningServer;
const inspectorDevice = createInspectorDevices();
let textQuestions: string[];

beforeAll(async () => {
  server = await startServer();
  textQuestions = await questionsOfType(server, 'text');
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

async function waitFor<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const serverSurvey = async (surveyId: string) =>
  (
    await server.t.request('GET', `/v1/surveys/${surveyId}`, { token: server.t.tokens.manager })
  ).json<{ status: string; answers: { questionId: string; value: unknown }[] }>();

describe('refreshFromServer as an inspector', () => {
  let device: Device;
  let surveyId: string;

  beforeAll(async () => {
    surveyId = await assignSurvey(server.t);
    await server.t.request('PUT', `/v1/surveys/${surveyId}/answers`, {
      token: server.t.tokens.inspector,
      body: {
        answers: [
          { questionId: textQuestions[0], value: 'on the server' },
          { questionId: textQuestions[1], value: 'server value' },
        ],
      },
    });
    device = await inspectorDevice({ baseUrl: server.baseUrl });
    await device.db.surveys.put({
      ...(await serverSurvey(surveyId)),
      fetchedAt: '',
    } as never);
    await device.db.templates.put(
      (
        await server.t.request('GET', `/v1/templates/${server.t.demo.templateId}`, {
          token: server.t.tokens.inspector,
        })
      ).json(),
    );
    await setAnswer(surveyId, textQuestions[1] ?? '', 'edited offline');
    await refreshFromServer();
  });

  it('stores the assigned surveys and their template', async () => {
    expect(await device.db.surveys.get(surveyId)).toMatchObject({ status: 'in_progress' });
    expect(await device.db.templates.get(server.t.demo.templateId)).toBeDefined();
  });

  it('stores the facilities with search text', async () => {
    const facilities = await device.db.facilities.toArray();

    expect(facilities.length).toBeGreaterThan(0);
    expect(facilities[0]?.searchText).toBe(facilities[0]?.searchText.toLowerCase());
  });

  it('stores the answers of open surveys', async () => {
    expect((await device.db.answers.get([surveyId, textQuestions[0] ?? '']))?.value).toBe(
      'on the server',
    );
  });

  it('keeps an answer edited on the device', async () => {
    const answer = await device.db.answers.get([surveyId, textQuestions[1] ?? '']);

    expect(answer).toMatchObject({ value: 'edited offline', dirty: 1 });
  });
});

describe('submissions', () => {
  it('sends a complete survey once its answers are on the server', async () => {
    const device = await inspectorDevice({ baseUrl: server.baseUrl });
    const surveyId = await assignSurvey(server.t);
    await answerEverything(server.t, surveyId);
    await refreshFromServer();
    await setAnswer(surveyId, textQuestions[0] ?? '', 'last edit before submitting');
    await submitSurvey(surveyId);
    await syncNow();

    expect(await device.db.submissions.get(surveyId)).toMatchObject({ status: 'done' });
    expect((await device.db.surveys.get(surveyId))?.status).toBe('submitted');
    const onServer = await serverSurvey(surveyId);
    expect(onServer.status).toBe('submitted');
    expect(onServer.answers.find((a) => a.questionId === textQuestions[0])?.value).toBe(
      'last edit before submitting',
    );
  }, 90_000);

  it('fails with the server message and reopens the survey on 422', async () => {
    const device = await inspectorDevice({ baseUrl: server.baseUrl });
    const surveyId = await assignSurvey(server.t);
    await storeSurvey(server, device, surveyId);
    const queuedAt = new Date().toISOString();
    await device.db.submissions.put({
      surveyId,
      status: 'waiting',
      queuedAt,
      attempts: 0,
      nextAttemptAt: 0,
      error: null,
    });
    await device.db.surveys.update(surveyId, { submitQueuedAt: queuedAt });
    await syncNow();

    const submission = await device.db.submissions.get(surveyId);
    expect(submission?.status).toBe('failed');
    expect(submission?.error).toMatch(/required questions are unanswered/);
    expect((await device.db.surveys.get(surveyId))?.submitQueuedAt).toBeNull();
  });
});

describe('resolveConflict', () => {
  it('restores the overwritten value through the next pull', async () => {
    const device = await inspectorDevice({ baseUrl: server.baseUrl });
    const surveyId = await assignSurvey(server.t);
    await storeSurvey(server, device, surveyId);
    const questionId = textQuestions[2] ?? '';
    await setAnswer(surveyId, questionId, 'mine');
    await server.t.request('POST', '/v1/sync/push', {
      token: server.t.tokens.inspector,
      body: {
        deviceId: 'web-other',
        mutations: [
          {
            clientMutationId: '0190f0a0-5555-7000-8000-000000000001',
            kind: 'answer.set',
            surveyId,
            questionId,
            value: 'theirs',
            hlc: formatHlc({ wallMs: Date.now() + 60_000, counter: 0, node: 'web-other' }),
          },
        ],
      },
    });
    await syncNow();
    const conflict = await device.db.conflicts.where('surveyId').equals(surveyId).first();
    expect((await device.db.answers.get([surveyId, questionId]))?.value).toBe('theirs');

    await resolveConflict(conflict?.id ?? '', 'losing');
    await syncNow();

    // Only open conflicts stay on the device.
    expect(await device.db.conflicts.get(conflict?.id ?? '')).toBeUndefined();
    expect((await device.db.answers.get([surveyId, questionId]))?.value).toBe('mine');
  });

  it('reports a conflict that does not exist', async () => {
    await inspectorDevice({ baseUrl: server.baseUrl });

    await expect(
      resolveConflict('0190f0a0-6666-7000-8000-000000000001', 'winning'),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('notifications', () => {
  it('stores pushed notifications and fetches the assigned survey', async () => {
    const device = await inspectorDevice({
      baseUrl: server.baseUrl,
      WebSocket: WebSocket as unknown as new (url: string) => globalThis.WebSocket,
    });
    const stop = startBackgroundSync();
    try {
      // The greeting makes the device download the notifications of earlier assignments.
      await waitFor(
        async () => ((await device.db.notifications.count()) > 0 ? true : undefined),
        'the socket greeting',
      );
      const surveyId = await assignSurvey(server.t);
      await server.t.drainBus();

      const notification = await waitFor(
        () =>
          device.db.notifications
            .filter((item) => item.kind === 'survey.assigned' && item.data.surveyId === surveyId)
            .first(),
        'the survey.assigned notification',
      );
      await waitFor(() => device.db.surveys.get(surveyId), 'the assigned survey');

      await markNotificationRead(notification.id);
      const [onServer] = (
        await server.t.request('GET', '/v1/notifications?limit=200', {
          token: server.t.tokens.inspector,
        })
      )
        .json<{ id: string; readAt: string | null }[]>()
        .filter((item) => item.id === notification.id);
      expect((await device.db.notifications.get(notification.id))?.readAt).toBeTruthy();
      expect(onServer?.readAt).toBeTruthy();
    } finally {
      stop();
    }
  });
});

describe('manager', () => {
  it('downloads surveys of every status and one survey in full', async () => {
    const submitted = await assignSurvey(server.t);
    await answerEverything(server.t, submitted);
    await server.t.request('POST', `/v1/surveys/${submitted}/submit`, {
      token: server.t.tokens.inspector,
    });
    await server.t.drainBus();

    const device = createTestDevice({ baseUrl: server.baseUrl });
    await signIn(MANAGER_EMAIL, DEMO_PASSWORD);
    await refreshFromServer();
    const statuses = new Set((await device.db.surveys.toArray()).map((survey) => survey.status));
    expect(statuses.has('assigned')).toBe(true);
    expect(statuses.has('submitted')).toBe(true);
    expect(await device.db.answers.count()).toBe(0);

    await loadSurveyDetail(submitted);
    expect((await device.db.surveys.get(submitted))?.findings?.length).toBeGreaterThan(0);
    expect(await device.db.answers.where('surveyId').equals(submitted).count()).toBeGreaterThan(0);

    await requestReport(submitted);
    expect((await device.db.reports.get(submitted))?.status).toMatch(/pending|ready/);
  }, 90_000);
});
