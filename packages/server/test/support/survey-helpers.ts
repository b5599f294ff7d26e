import type { AnswerInput, TemplateView } from '@avior/contract';
import { buildDemoAnswers } from '../../src/demo/demo.answers.ts';
import type { TestApp } from './test-app.ts';

/** Assigns the demo template at the first demo facility to the demo inspector. */
export async function assignSurvey(
  t: TestApp,
  tokens = t.tokens,
  organisation = t.demo,
): Promise<string> {
  const response = await t.request('POST', '/v1/surveys', {
    token: tokens.manager,
    body: {
      facilityId: organisation.facilityIds[0],
      templateId: organisation.templateId,
      inspectorId: organisation.users.inspector.id,
      dueDate: '2030-01-31',
    },
  });
  if (response.statusCode !== 201) throw new Error(`assign failed: ${response.body}`);
  return response.json<{ id: string }>().id;
}

export async function loadTemplate(
  t: TestApp,
  token = t.tokens.inspector,
  templateId = t.demo.templateId,
): Promise<TemplateView> {
  return (await t.request('GET', `/v1/templates/${templateId}`, { token })).json<TemplateView>();
}

/** Answers every question the way the demo does, in one batch per section. */
export async function answerEverything(
  t: TestApp,
  surveyId: string,
  token = t.tokens.inspector,
  photos = new Map<string, string[]>(),
): Promise<void> {
  const template = await loadTemplate(t, token);
  for (const batch of buildDemoAnswers(template.definition, photos, '2026-12-01')) {
    const response = await t.request('PUT', `/v1/surveys/${surveyId}/answers`, {
      token,
      body: { answers: batch },
    });
    if (response.statusCode !== 200) throw new Error(`answers failed: ${response.body}`);
  }
}

export function answer(
  questionId: string,
  value: AnswerInput['value'],
  note?: string,
): AnswerInput {
  return { questionId, value, ...(note ? { note } : {}) };
}
