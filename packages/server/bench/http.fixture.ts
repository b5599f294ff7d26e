import type { TemplateDefinition } from '@avior/contract';
import { callApi, signInAs, type ApiSession } from './bench.api.ts';
import { answerEverything, assignSurvey, loadDemoTemplate } from './survey.fixture.ts';

/** Answers per request of the write load. */
export const BATCH_SIZE = 10;

/** The surveys and session the HTTP loads use. */
export interface HttpFixture {
  readonly inspector: ApiSession;
  /** Submitted survey with every question answered and the findings its answers raise. */
  readonly readSurveyId: string;
  /** Survey in progress with every question answered, which the answer batches overwrite. */
  readonly writeSurveyId: string;
  /** Text questions written by each answer batch. */
  readonly batchQuestionIds: readonly string[];
  readonly answersPerSurvey: number;
}

/**
 * Assigns two surveys to the demo inspector as the demo manager, answers every question of
 * both, and submits the first, so it has findings and no longer accepts answers.
 */
export async function prepareHttpFixture(baseUrl: string): Promise<HttpFixture> {
  const manager = await signInAs(baseUrl, 'manager');
  const inspector = await signInAs(baseUrl, 'inspector');
  const template = await loadDemoTemplate(manager);
  const readSurveyId = await assignSurvey(manager, inspector.userId, template.id);
  const writeSurveyId = await assignSurvey(manager, inspector.userId, template.id);

  const answersPerSurvey = await answerEverything(inspector, readSurveyId, template.definition);
  await answerEverything(inspector, writeSurveyId, template.definition);
  await callApi(inspector, 'POST', `/v1/surveys/${readSurveyId}/submit`);

  return {
    inspector,
    readSurveyId,
    writeSurveyId,
    batchQuestionIds: pickTextQuestions(template.definition, BATCH_SIZE),
    answersPerSurvey,
  };
}

/**
 * Returns the JSON body of answer batch number `sequence`. The values differ from one batch to
 * the next, so every request changes stored rows.
 */
export function answerBatchBody(questionIds: readonly string[], sequence: number): string {
  const answers = questionIds.map((questionId, index) => ({
    questionId,
    value: `Reading ${sequence}.${index} taken on site`,
  }));
  return JSON.stringify({ answers });
}

// Text questions accept any short string, and unconditional ones are always visible, so the
// batches never fail validation and never depend on other answers.
function pickTextQuestions(definition: TemplateDefinition, count: number): string[] {
  const ids = definition.sections
    .flatMap((section) => section.questions)
    .filter((question) => question.type === 'text' && question.visibleIf === undefined)
    .map((question) => question.id)
    .slice(0, count);
  if (ids.length < count) {
    throw new Error(
      `The demo template has ${ids.length} unconditional text questions, expected ${count}`,
    );
  }

  return ids;
}
