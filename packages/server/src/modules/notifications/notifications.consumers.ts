import type { EventEnvelope } from '@avior/contract';
import {
  defineConsumerGroup,
  PermanentError,
  type AnyConsumerGroup,
  type HandlerContext,
  type HandlerOutcome,
} from '../../platform/bus/index.ts';
import type { Db } from '../../platform/db/database.ts';
import { reportReadyContent, surveyAssignedContent } from './notifications.messages.ts';
import { listManagerIds, type NotificationsRepository } from './notifications.repository.ts';
import type { NotificationsService } from './notifications.service.ts';

interface ConsumerDependencies {
  readonly db: Db;
  readonly repository: NotificationsRepository;
  readonly service: NotificationsService;
}

/**
 * Consumer groups of the notifications module. The groups that react to survey and report
 * events store their notifications keyed on the event they consume, rather than appending
 * notifications.send, because a redelivered event would otherwise append a second
 * notifications.send with a new id and notify everyone twice.
 */
export function createNotificationConsumers(deps: ConsumerDependencies): AnyConsumerGroup[] {
  return [
    defineConsumerGroup({
      name: 'notifications.deliver',
      topic: 'notifications.send',
      handle: (event) => deliverRequested(deps, event),
    }),
    defineConsumerGroup({
      name: 'notifications.survey-assigned',
      topic: 'survey.created',
      handle: (event, ctx) => notifySurveyAssigned(deps, event, ctx),
    }),
    defineConsumerGroup({
      name: 'notifications.report-ready',
      topic: 'report.ready',
      handle: (event, ctx) => notifyReportReady(deps, event, ctx),
    }),
  ];
}

async function deliverRequested(
  deps: ConsumerDependencies,
  event: EventEnvelope<'notifications.send'>,
): Promise<HandlerOutcome> {
  const { userIds, ...content } = event.payload;
  const stored = await deps.service.deliver(event.id, event.orgId, userIds, content);

  return stored > 0 ? 'done' : 'skipped';
}

async function notifySurveyAssigned(
  deps: ConsumerDependencies,
  event: EventEnvelope<'survey.created'>,
  ctx: HandlerContext,
): Promise<HandlerOutcome> {
  const { surveyId, inspectorId } = event.payload;
  const assignment = await deps.repository.getSurveyAssignment(event.orgId, surveyId);
  if (!assignment) {
    throw new PermanentError(`survey ${surveyId} not found in organisation ${event.orgId}`);
  }

  const content = surveyAssignedContent(assignment);
  const stored = await deps.service.deliver(ctx.eventId, event.orgId, [inspectorId], content);
  return stored > 0 ? 'done' : 'skipped';
}

async function notifyReportReady(
  deps: ConsumerDependencies,
  event: EventEnvelope<'report.ready'>,
  ctx: HandlerContext,
): Promise<HandlerOutcome> {
  const { reportId } = event.payload;
  const report = await deps.repository.getReadyReport(event.orgId, reportId);
  if (!report) {
    throw new PermanentError(`report ${reportId} not found in organisation ${event.orgId}`);
  }

  const recipients = [report.inspectorId, ...(await listManagerIds(deps.db, event.orgId))];
  const content = reportReadyContent(report);
  const stored = await deps.service.deliver(ctx.eventId, event.orgId, recipients, content);
  return stored > 0 ? 'done' : 'skipped';
}
