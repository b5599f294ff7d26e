import Fastify, { type FastifyInstance } from 'fastify';
import type { Db } from '../src/platform/db/database.ts';
import { SurveysRepository } from '../src/modules/surveys/surveys.repository.ts';

interface AnswerBatch {
  readonly answers: readonly { readonly questionId: string; readonly value: unknown }[];
}

export interface BareApp {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts a Fastify app on a free port of 127.0.0.1 whose routes run the queries of the surveys
 * repository on `db` for one organisation and user, with no authentication, validation, rate
 * limiting, logging or error handling. It is the floor that Avior's routes are compared with.
 */
export async function startBareApp(db: Db, orgId: string, userId: string): Promise<BareApp> {
  const surveys = new SurveysRepository(db);
  const app: FastifyInstance = Fastify({ logger: false });

  // The same SELECTs as a survey view: the survey with its joins, then answers and findings.
  app.get<{ Params: { id: string } }>('/surveys/:id', async (request) => {
    const survey = await surveys.find(orgId, request.params.id);
    const [answers, findings] = await Promise.all([
      surveys.answers(request.params.id),
      surveys.findings(orgId, request.params.id),
    ]);
    return { survey, answers, findings };
  });

  // The same upsert of the batch as saving answers, in one transaction.
  app.put<{ Params: { id: string }; Body: AnswerBatch }>(
    '/surveys/:id/answers',
    async (request) => {
      const rows = request.body.answers.map((answer) => ({
        surveyId: request.params.id,
        orgId,
        questionId: answer.questionId,
        value: answer.value,
        note: undefined,
        userId,
      }));
      await surveys.transaction((trx) => surveys.upsertAnswers(trx, rows));
      return { saved: rows.length };
    },
  );

  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}
