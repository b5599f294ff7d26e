import { fileURLToPath } from 'node:url';
import type { MediaView } from '@avior/contract';
import { BUNDLED_PHOTOS_DIR, listPhotos } from '../src/demo/demo.photos.ts';
import { callApi, signInAs } from './bench.api.ts';
import type { BenchServer } from './bench.server.ts';
import { answerEverything, assignSurvey, loadDemoTemplate, uploadPhoto } from './survey.fixture.ts';

/**
 * Photo processing and the first report of the 16 bundled photos took under 30 s in bench runs
 * on 2 cores, so this leaves room for a much busier machine.
 */
const DRAIN_TIMEOUT_MS = 180_000;

/** A submitted survey whose photos are processed and whose report the worker has made once. */
export interface ReportFixture {
  readonly orgId: string;
  readonly surveyId: string;
  readonly answers: number;
  readonly photosUploaded: number;
  readonly photosProcessed: number;
  readonly setupSeconds: number;
}

/**
 * Builds the demo inspection through the API as `npm run demo` does: the manager assigns the
 * fire-protection template, the inspector uploads every bundled photo and answers every
 * question, and submits. Waits until the photos are processed and the report is ready.
 */
export async function prepareReportFixture(server: BenchServer): Promise<ReportFixture> {
  const started = performance.now();
  const manager = await signInAs(server.url, 'manager');
  const inspector = await signInAs(server.url, 'inspector');
  const template = await loadDemoTemplate(manager);
  const surveyId = await assignSurvey(manager, inspector.userId, template.id);

  const photoQuestions = template.definition.sections
    .flatMap((section) => section.questions)
    .filter((question) => question.type === 'photo')
    .map((question) => question.id);
  const byQuestion = new Map<string, string[]>();
  const photos = listPhotos(fileURLToPath(BUNDLED_PHOTOS_DIR));
  for (const [index, photo] of photos.entries()) {
    const questionId = photoQuestions[index % photoQuestions.length] ?? '';
    const mediaId = await uploadPhoto(inspector, surveyId, photo, questionId);
    byQuestion.set(questionId, [...(byQuestion.get(questionId) ?? []), mediaId]);
  }
  await server.settle(DRAIN_TIMEOUT_MS);

  const answers = await answerEverything(inspector, surveyId, template.definition, byQuestion);
  await callApi(inspector, 'POST', `/v1/surveys/${surveyId}/submit`);
  await server.settle(DRAIN_TIMEOUT_MS);

  const media = await callApi<MediaView[]>(inspector, 'GET', `/v1/surveys/${surveyId}/media`);
  return {
    orgId: inspector.orgId,
    surveyId,
    answers,
    photosUploaded: photos.length,
    photosProcessed: media.filter((item) => item.status === 'processed').length,
    setupSeconds: Math.round((performance.now() - started) / 1000),
  };
}
