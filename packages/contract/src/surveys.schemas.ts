import { Type, type Static } from 'typebox';
import { Uuid } from './common.schemas.ts';
import { AnswerValue, Severity, TemplateDefinition } from './templates.ts';

export const SurveyStatus = Type.Enum(['assigned', 'in_progress', 'submitted', 'reviewed']);
export type SurveyStatus = Static<typeof SurveyStatus>;

export const RiskLevel = Type.Enum(['low', 'medium', 'high', 'critical']);
export type RiskLevel = Static<typeof RiskLevel>;

export const TemplateSummary = Type.Object({
  id: Uuid,
  key: Type.String(),
  version: Type.Integer(),
  title: Type.String(),
  questionCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type TemplateSummary = Static<typeof TemplateSummary>;

export const TemplateView = Type.Object({
  ...TemplateSummary.properties,
  definition: TemplateDefinition,
});
export type TemplateView = Static<typeof TemplateView>;

export const CreateSurveyBody = Type.Object(
  {
    facilityId: Uuid,
    templateId: Uuid,
    inspectorId: Uuid,
    dueDate: Type.Optional(
      Type.String({
        format: 'date',
        pattern: '^(19|20|21)\\d\\d-',
        description: 'YYYY-MM-DD, years 1900 to 2199',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateSurveyBody = Static<typeof CreateSurveyBody>;

export const AnswerView = Type.Object({
  questionId: Type.String(),
  value: Type.Union([AnswerValue, Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type AnswerView = Static<typeof AnswerView>;

export const FlagView = Type.Object({
  questionId: Type.Union([Type.String(), Type.Null()]),
  severity: Type.String(),
  message: Type.String(),
  source: Type.String(),
  code: Type.String(),
  mediaId: Type.Union([Uuid, Type.Null()]),
  evidence: Type.Unknown(),
});
export type FlagView = Static<typeof FlagView>;

export const SurveySummary = Type.Object({
  id: Uuid,
  status: SurveyStatus,
  facility: Type.Object({ id: Uuid, name: Type.String() }),
  template: Type.Object({ id: Uuid, title: Type.String(), version: Type.Integer() }),
  inspector: Type.Object({ id: Uuid, name: Type.String() }),
  dueDate: Type.Union([Type.String(), Type.Null()]),
  score: Type.Union([Type.Number(), Type.Null()]),
  riskLevel: Type.Union([RiskLevel, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  submittedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type SurveySummary = Static<typeof SurveySummary>;

export const SurveyView = Type.Object({
  ...SurveySummary.properties,
  startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reviewedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reviewNote: Type.Union([Type.String(), Type.Null()]),
  answers: Type.Array(AnswerView),
  findings: Type.Array(FlagView),
});
export type SurveyView = Static<typeof SurveyView>;

export const SurveyQuery = Type.Object({
  status: Type.Optional(SurveyStatus),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});
export type SurveyQuery = Static<typeof SurveyQuery>;

export const AnswerInput = Type.Object(
  {
    questionId: Type.String({ minLength: 1, maxLength: 100 }),
    value: Type.Union([AnswerValue, Type.Null()]),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type AnswerInput = Static<typeof AnswerInput>;

export const SaveAnswersBody = Type.Object(
  { answers: Type.Array(AnswerInput, { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);
export type SaveAnswersBody = Static<typeof SaveAnswersBody>;

export const SaveAnswersResult = Type.Object({
  saved: Type.Integer(),
  status: SurveyStatus,
  flags: Type.Array(
    Type.Object({ questionId: Type.String(), severity: Severity, message: Type.String() }),
  ),
});

export const ReviewBody = Type.Object(
  {
    note: Type.Optional(Type.String({ maxLength: 5000 })),
    corrections: Type.Optional(Type.Array(AnswerInput, { maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export type ReviewBody = Static<typeof ReviewBody>;

export const SubmitResult = Type.Object({
  status: SurveyStatus,
  score: Type.Number(),
  riskLevel: RiskLevel,
  flagCount: Type.Integer(),
});
