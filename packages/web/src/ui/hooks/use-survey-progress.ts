import { isAnswered, listVisibleQuestionIds, type AnswerValue } from '@avior/contract';
import { useLiveQuery } from 'dexie-react-hooks';
import { db, type LocalAnswer, type LocalSurvey } from '../../data/index.ts';

export interface SurveyProgress {
  /** Visible questions with an answer. */
  answered: number;
  /** Visible questions; null while the template is not on the device. */
  visible: number | null;
  /** Local edits or photos that have not reached the server. */
  waitingToSync: boolean;
  /** Submit was pressed on this device and the submission has not reached the server. */
  submitQueued: boolean;
}

function groupBySurvey(answers: readonly LocalAnswer[]): Map<string, Map<string, AnswerValue>> {
  const grouped = new Map<string, Map<string, AnswerValue>>();
  for (const answer of answers) {
    if (!isAnswered(answer.value)) {
      continue;
    }

    const values = grouped.get(answer.surveyId) ?? new Map<string, AnswerValue>();
    values.set(answer.questionId, answer.value);
    grouped.set(answer.surveyId, values);
  }

  return grouped;
}

async function readProgress(
  surveys: readonly LocalSurvey[],
): Promise<ReadonlyMap<string, SurveyProgress>> {
  const ids = surveys.map((survey) => survey.id);
  const templateIds = [...new Set(surveys.map((survey) => survey.template.id))];
  const [answers, templates, mutations, photos, submissions] = await Promise.all([
    db.answers.where('surveyId').anyOf(ids).toArray(),
    db.templates.bulkGet(templateIds),
    db.mutations
      .where('surveyId')
      .anyOf(ids)
      .filter((m) => m.status === 'waiting')
      .toArray(),
    db.photos
      .where('surveyId')
      .anyOf(ids)
      .filter((p) => p.status !== 'uploaded')
      .toArray(),
    db.submissions
      .where('surveyId')
      .anyOf(ids)
      .filter((s) => s.status !== 'done')
      .toArray(),
  ]);

  const definitions = new Map(templates.flatMap((t) => (t ? [[t.id, t.definition]] : [])));
  const answersBySurvey = groupBySurvey(answers);
  const unsynced = new Set([...mutations, ...photos].map((item) => item.surveyId));
  const queued = new Set(submissions.map((submission) => submission.surveyId));

  const progress = new Map<string, SurveyProgress>();
  for (const survey of surveys) {
    const values = answersBySurvey.get(survey.id) ?? new Map<string, AnswerValue>();
    const definition = definitions.get(survey.template.id);
    const visible = definition ? listVisibleQuestionIds(definition, values) : null;
    progress.set(survey.id, {
      answered: visible ? [...values.keys()].filter((id) => visible.has(id)).length : values.size,
      visible: visible ? visible.size : null,
      waitingToSync: unsynced.has(survey.id),
      submitQueued: queued.has(survey.id),
    });
  }

  return progress;
}

/** React hook: answered counts and sync markers of each survey, from the device database. */
export function useSurveyProgress(
  surveys: readonly LocalSurvey[] | undefined,
): ReadonlyMap<string, SurveyProgress> | undefined {
  const key = surveys?.map((survey) => `${survey.id}:${survey.template.id}`).join(',');
  return useLiveQuery(() => (surveys ? readProgress(surveys) : undefined), [key]);
}
