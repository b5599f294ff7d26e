import type {
  AnswerInput,
  AnswerValue,
  CreateSurveyBody,
  Question,
  ReviewBody,
  SurveyQuery,
  SurveySummary,
  SurveyView,
  TemplateDefinition,
} from '@avior/contract';
import type { Kysely } from 'kysely';
import type { Principal } from '../../gateway/auth.ts';
import { appendEvent } from '../../platform/bus/outbox.repository.ts';
import type { Database } from '../../platform/db/schema.ts';
import { AppError, invalidState, notFound } from '../../platform/errors/error-catalogue.ts';
import { newId } from '../../platform/ids.ts';
import { requestReportRegeneration } from '../reports/report-requests.ts';
import { validateAnswer } from '@avior/contract';
import { evaluateSurvey, type SurveyEvaluation, type SurveyFlag } from '@avior/contract';
import { indexQuestions } from '@avior/contract';
import type { SurveyRecord, SurveysRepository } from './surveys.repository.ts';

type Executor = Kysely<Database>;

const EDITABLE = new Set(['assigned', 'in_progress']);
const ALERT_SEVERITIES = new Set(['high', 'critical']);

/** Assignment, answering, submission and review of surveys. */
export class SurveysService {
  constructor(
    private readonly surveys: SurveysRepository,
    private readonly onCommitted: () => void,
  ) {}

  async create(principal: Principal, body: CreateSurveyBody): Promise<SurveyView> {
    assertManager(principal, 'assign surveys');
    const targets = await this.surveys.assignmentTargets(principal.orgId, body);
    if (!targets.facility) throw notFound('Facility', body.facilityId);
    if (!targets.template) throw notFound('Template', body.templateId);
    if (!targets.inspector) throw notFound('User', body.inspectorId);
    if (targets.inspector.role !== 'inspector') {
      throw invalidState(
        'User',
        body.inspectorId,
        targets.inspector.role,
        'only inspectors can be assigned surveys',
      );
    }

    const id = newId();
    await this.surveys.transaction(async (trx) => {
      await this.surveys.insert(trx, {
        id,
        orgId: principal.orgId,
        ...body,
        dueDate: body.dueDate ?? null,
        assignedBy: principal.userId,
      });
      await appendEvent(trx, {
        topic: 'survey.created',
        orgId: principal.orgId,
        payload: { surveyId: id, inspectorId: body.inspectorId },
      });
    });
    this.onCommitted();
    return this.get(principal, id);
  }

  async list(principal: Principal, query: SurveyQuery): Promise<SurveySummary[]> {
    const rows = await this.surveys.list(principal.orgId, {
      status: query.status,
      inspectorId: principal.role === 'inspector' ? principal.userId : undefined,
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    });
    return rows.map(toSummary);
  }

  async get(principal: Principal, id: string): Promise<SurveyView> {
    const survey = await this.findVisible(principal, id);
    const [answers, findings] = await Promise.all([
      this.surveys.answers(id),
      this.surveys.findings(principal.orgId, id),
    ]);
    return {
      ...toSummary(survey),
      startedAt: survey.startedAt?.toISOString() ?? null,
      reviewedAt: survey.reviewedAt?.toISOString() ?? null,
      reviewNote: survey.reviewNote,
      answers: answers.map((answer) => ({
        questionId: answer.questionId,
        value: answer.value as AnswerValue | null,
        note: answer.note,
        updatedAt: answer.updatedAt.toISOString(),
      })),
      findings: findings.map((finding) => ({
        questionId: finding.question_id,
        severity: finding.severity,
        message: finding.message,
        source: finding.source,
        code: finding.code,
        mediaId: finding.media_id,
        evidence: finding.evidence,
      })),
    };
  }

  /**
   * Saves a batch of answers: all of them or none. Returns the flags the saved answers raise,
   * so the app can show them as the inspector works.
   */
  async saveAnswers(principal: Principal, id: string, inputs: readonly AnswerInput[]) {
    const result = await this.surveys.transaction(async (trx) => {
      const survey = await this.lockEditable(trx, principal, id);
      const definition = await this.surveys.templateDefinition(trx, survey.templateId);
      await this.storeAnswers(trx, principal, survey, definition, inputs);
      if (survey.status === 'assigned')
        await this.surveys.update(trx, id, { status: 'in_progress', started_at: new Date() });

      const evaluation = await this.evaluate(trx, id, definition);
      const saved = new Set(inputs.map((input) => input.questionId));
      return {
        saved: inputs.length,
        status: 'in_progress' as const,
        flags: evaluation.flags.filter((flag) => saved.has(flag.questionId)).map(toFlagSummary),
      };
    });
    return result;
  }

  /** Submits a survey: checks required answers, scores it, stores its flags and emits survey.submitted. */
  async submit(principal: Principal, id: string) {
    const outcome = await this.surveys.transaction(async (trx) => {
      const survey = await this.lockEditable(trx, principal, id);
      const definition = await this.surveys.templateDefinition(trx, survey.templateId);
      const evaluation = await this.evaluate(trx, id, definition);
      if (evaluation.missingRequired.length > 0) {
        throw new AppError('SURVEY_INCOMPLETE', {
          id,
          count: evaluation.missingRequired.length,
          missing: evaluation.missingRequired,
        });
      }

      await this.recordEvaluation(trx, survey, evaluation, {
        status: 'submitted',
        submitted_at: new Date(),
      });
      await appendEvent(trx, {
        topic: 'survey.submitted',
        orgId: survey.orgId,
        payload: { surveyId: id },
      });
      await this.alertManagers(trx, survey, evaluation.flags);
      return {
        status: 'submitted' as const,
        score: evaluation.score,
        riskLevel: evaluation.riskLevel,
        flagCount: evaluation.flags.length,
      };
    });
    this.onCommitted();
    return outcome;
  }

  /**
   * Marks a submitted survey reviewed. Corrections are the only way to change a submitted
   * survey's answers. They are validated like any answer, then the survey is scored again and
   * its report regenerated.
   */
  async review(principal: Principal, id: string, body: ReviewBody) {
    assertManager(principal, 'review surveys');
    const outcome = await this.surveys.transaction(async (trx) => {
      const survey = await this.surveys.lock(trx, principal.orgId, id);
      if (!survey) throw notFound('Survey', id);
      if (survey.status !== 'submitted')
        throw invalidState('Survey', id, survey.status, 'only a submitted survey can be reviewed');

      const definition = await this.surveys.templateDefinition(trx, survey.templateId);
      const corrections = body.corrections ?? [];
      if (corrections.length > 0) {
        await this.storeAnswers(trx, principal, survey, definition, corrections);
      }
      const evaluation = await this.evaluate(trx, id, definition);
      await this.recordEvaluation(trx, survey, evaluation, {
        status: 'reviewed',
        reviewed_at: new Date(),
        reviewed_by: principal.userId,
        review_note: body.note ?? null,
      });
      if (corrections.length > 0) await requestReportRegeneration(trx, survey.orgId, survey.id);
      return {
        status: 'reviewed' as const,
        score: evaluation.score,
        riskLevel: evaluation.riskLevel,
        flagCount: evaluation.flags.length,
      };
    });
    this.onCommitted();
    return outcome;
  }

  private async findVisible(principal: Principal, id: string): Promise<SurveyRecord> {
    const survey = await this.surveys.find(principal.orgId, id);
    // An inspector sees only the surveys assigned to them; others are "not found", not forbidden,
    // so ids of other people's work are not confirmed.
    if (!survey || (principal.role === 'inspector' && survey.inspectorId !== principal.userId)) {
      throw notFound('Survey', id);
    }
    return survey;
  }

  private async lockEditable(
    trx: Executor,
    principal: Principal,
    id: string,
  ): Promise<SurveyRecord> {
    const survey = await this.surveys.lock(trx, principal.orgId, id);
    if (!survey || (principal.role === 'inspector' && survey.inspectorId !== principal.userId))
      throw notFound('Survey', id);
    if (principal.role === 'viewer')
      throw new AppError('FORBIDDEN', { role: principal.role, action: 'answer surveys' });
    if (!EDITABLE.has(survey.status)) {
      throw invalidState(
        'Survey',
        id,
        survey.status,
        'a submitted survey changes only through review',
      );
    }
    return survey;
  }

  private async storeAnswers(
    trx: Executor,
    principal: Principal,
    survey: SurveyRecord,
    definition: TemplateDefinition,
    inputs: readonly AnswerInput[],
  ): Promise<void> {
    const values = await this.checkAnswers(trx, survey, definition, inputs);
    const rows = values.map((value) => ({
      ...value,
      surveyId: survey.id,
      orgId: principal.orgId,
      userId: principal.userId,
    }));
    await this.surveys.upsertAnswers(trx, rows);
  }

  private async checkAnswers(
    trx: Executor,
    survey: SurveyRecord,
    definition: TemplateDefinition,
    inputs: readonly AnswerInput[],
  ) {
    const questions = indexQuestions(definition);
    const seen = new Set<string>();
    const checked = inputs.map((input) => {
      const question = questions.get(input.questionId);
      if (!question) throw answerInvalid(input.questionId, 'the template has no such question');
      if (seen.has(input.questionId))
        throw answerInvalid(input.questionId, 'the question appears twice in one batch');
      seen.add(input.questionId);

      const check = validateAnswer(question, input.value);
      if (!check.ok) throw answerInvalid(input.questionId, check.message);
      return { question, questionId: input.questionId, value: check.value, note: input.note };
    });
    await this.checkPhotoAnswers(trx, survey, checked);
    return checked;
  }

  private async checkPhotoAnswers(
    trx: Executor,
    survey: SurveyRecord,
    answers: readonly { question: Question; questionId: string; value: AnswerValue | null }[],
  ) {
    for (const answer of answers) {
      if (answer.question.type !== 'photo' || !Array.isArray(answer.value)) continue;

      const found = await this.surveys.countMediaInSurvey(trx, survey.id, answer.value);
      if (found !== new Set(answer.value).size) {
        throw answerInvalid(
          answer.questionId,
          'every media id must be a photo uploaded to this survey and not failed',
        );
      }
    }
  }

  private async evaluate(
    trx: Executor,
    surveyId: string,
    definition: TemplateDefinition,
  ): Promise<SurveyEvaluation> {
    const stored = await this.surveys.answers(surveyId, trx);
    const answers = new Map<string, AnswerValue>();
    for (const answer of stored) {
      if (answer.value !== null) answers.set(answer.questionId, answer.value as AnswerValue);
    }
    return evaluateSurvey(definition, answers);
  }

  private async recordEvaluation(
    trx: Executor,
    survey: SurveyRecord,
    evaluation: SurveyEvaluation,
    changes: Parameters<SurveysRepository['update']>[2],
  ): Promise<void> {
    await this.surveys.update(trx, survey.id, {
      ...changes,
      score: evaluation.score,
      risk_level: evaluation.riskLevel,
    });
    await this.surveys.replaceRuleFindings(
      trx,
      survey.orgId,
      survey.id,
      evaluation.flags.map((flag) => ({
        id: newId(),
        question_id: flag.questionId,
        code: 'rule_flag',
        severity: flag.severity,
        message: flag.message,
        evidence: {
          answer: flag.answer,
          sectionId: flag.sectionId,
          sectionTitle: flag.sectionTitle,
          questionLabel: flag.questionLabel,
        },
      })),
    );
  }

  private async alertManagers(
    trx: Executor,
    survey: SurveyRecord,
    flags: readonly SurveyFlag[],
  ): Promise<void> {
    const serious = flags.filter((flag) => ALERT_SEVERITIES.has(flag.severity));
    if (serious.length === 0) return;

    const worst = serious.some((flag) => flag.severity === 'critical') ? 'critical' : 'high';
    await appendEvent(trx, {
      topic: 'notifications.send',
      orgId: survey.orgId,
      payload: {
        userIds: await this.surveys.managerIds(trx, survey.orgId),
        kind: 'item.flagged',
        title: describeSeriousFlags(serious, survey.facilityName),
        body: serious
          .slice(0, 3)
          .map((flag) => `${flag.questionLabel.replace(/[.?:]+$/, '')}: ${flag.message}`)
          .join('; '),
        data: { surveyId: survey.id, count: serious.length, severity: worst },
      },
    });
  }
}

function assertManager(principal: Principal, action: string): void {
  if (principal.role !== 'admin' && principal.role !== 'manager') {
    throw new AppError('FORBIDDEN', { role: principal.role, action });
  }
}

function answerInvalid(questionId: string, reason: string): AppError {
  return new AppError('ANSWER_INVALID', { questionId, reason });
}

function toFlagSummary(flag: SurveyFlag) {
  return { questionId: flag.questionId, severity: flag.severity, message: flag.message };
}

function toSummary(survey: SurveyRecord): SurveySummary {
  return {
    id: survey.id,
    status: survey.status,
    facility: { id: survey.facilityId, name: survey.facilityName },
    template: {
      id: survey.templateId,
      title: survey.templateTitle,
      version: survey.templateVersion,
    },
    inspector: { id: survey.inspectorId, name: survey.inspectorName },
    dueDate: survey.dueDate,
    score: survey.score,
    riskLevel: survey.riskLevel as SurveySummary['riskLevel'],
    createdAt: survey.createdAt.toISOString(),
    submittedAt: survey.submittedAt?.toISOString() ?? null,
  };
}

/** Titles an alert by its counts, for example "1 critical and 22 high-severity items at Depot". */
function describeSeriousFlags(serious: readonly SurveyFlag[], facilityName: string): string {
  const critical = serious.filter((flag) => flag.severity === 'critical').length;
  const high = serious.length - critical;
  const parts = [
    ...(critical > 0 ? [`${critical} critical`] : []),
    ...(high > 0 ? [`${high} high-severity`] : []),
  ];
  const noun = serious.length === 1 ? 'item' : 'items';
  return `${parts.join(' and ')} ${noun} at ${facilityName}`;
}
