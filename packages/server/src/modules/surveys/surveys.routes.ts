import { Type } from 'typebox';
import {
  CreateSurveyBody,
  ErrorBody,
  IdParams,
  ReviewBody,
  SaveAnswersBody,
  SaveAnswersResult,
  SubmitResult,
  SurveyQuery,
  SurveySummary,
  SurveyView,
} from '@avior/contract';
import type { App } from '../../gateway/app-types.ts';
import { authenticate } from '../../gateway/auth.ts';
import type { SurveysService } from './surveys.service.ts';

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
};

export function registerSurveysRoutes(app: App, surveys: SurveysService): void {
  app.post(
    '/v1/surveys',
    {
      onRequest: authenticate,
      schema: {
        tags: ['surveys'],
        summary: 'Assign a template to a facility and an inspector',
        body: CreateSurveyBody,
        response: { 201: SurveyView, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await surveys.create(request.principal, request.body)),
  );

  app.get(
    '/v1/surveys',
    {
      onRequest: authenticate,
      schema: {
        tags: ['surveys'],
        summary: 'Surveys of the organisation; an inspector sees their own',
        querystring: SurveyQuery,
        response: { 200: Type.Array(SurveySummary), ...errors },
      },
    },
    async (request) => surveys.list(request.principal, request.query),
  );

  app.get(
    '/v1/surveys/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['surveys'],
        summary: 'A survey with its answers and findings',
        params: IdParams,
        response: { 200: SurveyView, ...errors },
      },
    },
    async (request) => surveys.get(request.principal, request.params.id),
  );

  app.put(
    '/v1/surveys/:id/answers',
    {
      onRequest: authenticate,
      schema: {
        tags: ['surveys'],
        summary: 'Save a batch of answers (all or none)',
        params: IdParams,
        body: SaveAnswersBody,
        response: { 200: SaveAnswersResult, ...errors },
      },
    },
    async (request) =>
      surveys.saveAnswers(request.principal, request.params.id, request.body.answers),
  );

  app.post(
    '/v1/surveys/:id/submit',
    {
      onRequest: authenticate,
      schema: {
        tags: ['surveys'],
        summary: 'Submit a survey for scoring and its report',
        params: IdParams,
        response: { 200: SubmitResult, ...errors },
      },
    },
    async (request) => surveys.submit(request.principal, request.params.id),
  );

  app.post(
    '/v1/surveys/:id/review',
    {
      onRequest: authenticate,
      schema: {
        tags: ['surveys'],
        summary: 'Review a submitted survey, with optional corrections',
        params: IdParams,
        body: ReviewBody,
        response: { 200: SubmitResult, ...errors },
      },
    },
    async (request) => surveys.review(request.principal, request.params.id, request.body),
  );
}
