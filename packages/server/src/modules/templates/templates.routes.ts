import { Type } from 'typebox';
import {
  ErrorBody,
  IdParams,
  TemplateDefinition,
  TemplateSummary,
  TemplateView,
} from '@avior/contract';
import type { App } from '../../gateway/app-types.ts';
import { authenticate, requireRole } from '../../gateway/auth.ts';
import { AppError, notFound } from '../../platform/errors/error-catalogue.ts';
import { newId } from '../../platform/ids.ts';
import { validateTemplateDefinition } from './template.validator.ts';
import {
  countQuestions,
  type TemplateRow,
  type TemplatesRepository,
} from './templates.repository.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody };

export function registerTemplatesRoutes(app: App, templates: TemplatesRepository): void {
  app.get(
    '/v1/templates',
    {
      onRequest: authenticate,
      schema: {
        tags: ['templates'],
        summary: 'Every version of every template',
        response: { 200: Type.Array(TemplateSummary), ...errors },
      },
    },
    async (request) => {
      const rows = await templates.list(request.principal.orgId);
      return rows.map(toSummary);
    },
  );

  app.get(
    '/v1/templates/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['templates'],
        summary: 'One template version with its questions',
        params: IdParams,
        response: { 200: TemplateView, ...errors },
      },
    },
    async (request) => {
      const row = await templates.find(request.principal.orgId, request.params.id);
      if (!row) throw notFound('Template', request.params.id);
      return { ...toSummary(row), definition: row.definition };
    },
  );

  app.post(
    '/v1/templates',
    {
      onRequest: authenticate,
      schema: {
        tags: ['templates'],
        summary: 'Publish a template; a key that exists gets its next version',
        body: TemplateDefinition,
        response: { 201: TemplateSummary, ...errors },
      },
    },
    async (request, reply) => {
      requireRole(request.principal, ['admin', 'manager'], 'publish templates');
      const row = await publishTemplate(templates, request.principal.orgId, request.body);
      return reply.status(201).send(toSummary(row));
    },
  );
}

/** Validates a definition and stores it as the next version of its key. */
export async function publishTemplate(
  templates: TemplatesRepository,
  orgId: string,
  definition: TemplateDefinition,
): Promise<Omit<TemplateRow, 'created_at'> & { created_at: Date }> {
  const problems = validateTemplateDefinition(definition);
  if (problems.length > 0) {
    const summary = problems.map((p) => `${p.path} ${p.message}`).join('; ');
    throw new AppError('TEMPLATE_INVALID', { summary, problems });
  }

  const row = {
    id: newId(),
    org_id: orgId,
    key: definition.key,
    version: (await templates.latestVersion(orgId, definition.key)) + 1,
    title: definition.title,
    definition,
    question_count: countQuestions(definition),
  };
  await templates.insert(row);
  return { ...row, created_at: new Date() };
}

function toSummary(row: Omit<TemplateRow, 'definition'>): TemplateSummary {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    title: row.title,
    questionCount: row.question_count,
    createdAt: row.created_at.toISOString(),
  };
}
