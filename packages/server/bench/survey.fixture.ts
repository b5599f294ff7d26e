import { readFile } from 'node:fs/promises';
import type {
  SurveyView,
  TemplateDefinition,
  TemplateSummary,
  TemplateView,
  UploadTicketView,
} from '@avior/contract';
import { buildDemoAnswers } from '../src/demo/demo.answers.ts';
import type { DemoPhoto } from '../src/demo/demo.photos.ts';
import { callApi, type ApiSession } from './bench.api.ts';

/** Key of the fire-protection template the demo organisation is seeded with. */
const DEMO_TEMPLATE_KEY = 'fire-protection-inspection';

/** A fixed date, so every run saves the same date answers and builds the same report. */
const ANSWER_DATE = '2026-03-02';

/** Reads the seeded fire-protection template. */
export async function loadDemoTemplate(manager: ApiSession): Promise<TemplateView> {
  const templates = await callApi<TemplateSummary[]>(manager, 'GET', '/v1/templates');
  const summary = templates.find((template) => template.key === DEMO_TEMPLATE_KEY);
  if (!summary) throw new Error(`Template ${DEMO_TEMPLATE_KEY} is missing from the demo seed`);

  return callApi<TemplateView>(manager, 'GET', `/v1/templates/${summary.id}`);
}

/** Assigns the template at the first demo facility to the inspector, as the manager. */
export async function assignSurvey(
  manager: ApiSession,
  inspectorId: string,
  templateId: string,
): Promise<string> {
  const facilities = await callApi<{ id: string }[]>(manager, 'GET', '/v1/facilities?limit=1');
  const survey = await callApi<SurveyView>(manager, 'POST', '/v1/surveys', {
    facilityId: facilities[0]?.id,
    templateId,
    inspectorId,
    dueDate: '2030-01-31',
  });
  return survey.id;
}

/**
 * Answers every question the way the demo does, one batch per section, and returns the number
 * of answers saved. Photo questions are answered only with the media ids in `photos`.
 */
export async function answerEverything(
  inspector: ApiSession,
  surveyId: string,
  definition: TemplateDefinition,
  photos: ReadonlyMap<string, readonly string[]> = new Map(),
): Promise<number> {
  let saved = 0;
  for (const batch of buildDemoAnswers(definition, photos, ANSWER_DATE)) {
    if (batch.length === 0) continue;

    await callApi(inspector, 'PUT', `/v1/surveys/${surveyId}/answers`, { answers: batch });
    saved += batch.length;
  }

  return saved;
}

/** Uploads a photo through a signed link, the route a phone uses, and returns its media id. */
export async function uploadPhoto(
  inspector: ApiSession,
  surveyId: string,
  photo: DemoPhoto,
  questionId: string,
): Promise<string> {
  const ticket = await callApi<UploadTicketView>(
    inspector,
    'POST',
    `/v1/surveys/${surveyId}/media/uploads`,
    { fileName: photo.name, contentType: photo.contentType, byteSize: photo.size, questionId },
  );
  const response = await fetch(ticket.upload.url, {
    method: ticket.upload.method,
    headers: { 'content-type': photo.contentType },
    body: await readFile(photo.path),
  });
  if (!response.ok) {
    throw new Error(`Upload of ${photo.name} failed with HTTP ${response.status}`);
  }

  return ticket.media.id;
}
