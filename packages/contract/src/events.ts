/**
 * Every event topic and its payload. Topics are named `entity.verb`; the schema version of
 * each topic is carried on the envelope so consumers can tell old payloads from new ones.
 */
export interface EventPayloads {
  'survey.created': { readonly surveyId: string; readonly inspectorId: string };
  'survey.submitted': { readonly surveyId: string };
  'media.uploaded': { readonly mediaId: string; readonly surveyId: string };
  'report.generate': { readonly reportId: string; readonly surveyId: string };
  'report.ready': { readonly reportId: string; readonly surveyId: string };
  'notifications.send': {
    readonly userIds: readonly string[];
    readonly kind: NotificationKind;
    readonly title: string;
    readonly body: string;
    readonly data: Readonly<Record<string, string | number | null>>;
  };
}

export type Topic = keyof EventPayloads;

export const TOPICS: readonly Topic[] = [
  'survey.created',
  'survey.submitted',
  'media.uploaded',
  'report.generate',
  'report.ready',
  'notifications.send',
];

export const SCHEMA_VERSIONS: Readonly<Record<Topic, number>> = {
  'survey.created': 1,
  'survey.submitted': 1,
  'media.uploaded': 1,
  'report.generate': 1,
  'report.ready': 1,
  'notifications.send': 1,
};

export type NotificationKind =
  'survey.assigned' | 'photo.processed' | 'photo.failed' | 'report.ready' | 'item.flagged';

export interface EventEnvelope<T extends Topic = Topic> {
  readonly id: string;
  readonly topic: T;
  readonly orgId: string;
  readonly payload: EventPayloads[T];
  readonly schemaVersion: number;
  /** W3C trace context of the request that caused the event. */
  readonly traceparent: string | null;
  readonly createdAt: Date;
}
