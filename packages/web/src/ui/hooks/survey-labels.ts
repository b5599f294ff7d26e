import { indexQuestions, type Question } from '@avior/contract';
import { db, type LocalSurvey } from '../../data/index.ts';

/** Survey and question names for queue and conflict rows. */
export interface SurveyLabels {
  surveys: ReadonlyMap<string, LocalSurvey>;
  /** Finds a question of a survey's checklist; undefined when the checklist is not on the device. */
  question(surveyId: string, questionId: string): Question | undefined;
}

/** Reads the surveys and checklists behind a set of survey ids, for labels. */
export async function readSurveyLabels(surveyIds: Iterable<string>): Promise<SurveyLabels> {
  const ids = [...new Set(surveyIds)];
  const surveyRows = await db.surveys.bulkGet(ids);
  const surveys = new Map(surveyRows.flatMap((survey) => (survey ? [[survey.id, survey]] : [])));
  const templateIds = [...new Set([...surveys.values()].map((survey) => survey.template.id))];
  const templates = await db.templates.bulkGet(templateIds);
  const lookups = new Map(
    templates.flatMap((template) =>
      template ? [[template.id, indexQuestions(template.definition)]] : [],
    ),
  );

  return {
    surveys,
    question(surveyId, questionId) {
      const templateId = surveys.get(surveyId)?.template.id;
      return templateId ? lookups.get(templateId)?.get(questionId) : undefined;
    },
  };
}
