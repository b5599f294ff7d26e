import { formatAnswer } from '@avior/contract';
import { useLiveQuery } from 'dexie-react-hooks';
import {
  db,
  type LocalPhoto,
  type QueuedMutation,
  type QueuedSubmission,
} from '../../data/index.ts';
import { formatBytes } from '../format.ts';
import { readSurveyLabels, type SurveyLabels } from './survey-labels.ts';

export interface QueueItem {
  key: string;
  kind: 'answer' | 'photo' | 'submission';
  title: string;
  detail: string;
  /** The item's queue status, e.g. waiting, uploading, failed, rejected. */
  status: string;
  error: string | null;
  attempts: number;
}

export interface QueueItems {
  waiting: QueueItem[];
  failed: QueueItem[];
}

// Long queues show their first items only; the counts above the lists stay exact.
const LISTED_PER_QUEUE = 200;
const FAILED_STATUSES: ReadonlySet<string> = new Set(['failed', 'rejected']);

function facilityName(labels: SurveyLabels, surveyId: string): string {
  return labels.surveys.get(surveyId)?.facility.name ?? 'Survey not on this device';
}

function describeMutation(labels: SurveyLabels, mutation: QueuedMutation): QueueItem {
  const question = labels.question(mutation.surveyId, mutation.questionId);
  const value = question ? formatAnswer(question, mutation.value) : JSON.stringify(mutation.value);
  return {
    key: `mutation:${mutation.id}`,
    kind: 'answer',
    title: question?.label ?? `Question ${mutation.questionId}`,
    detail: `${facilityName(labels, mutation.surveyId)} · ${value}`,
    status: mutation.status,
    error: mutation.error,
    attempts: mutation.attempts,
  };
}

function describePhoto(labels: SurveyLabels, photo: LocalPhoto): QueueItem {
  const question = labels.question(photo.surveyId, photo.questionId);
  return {
    key: `photo:${photo.id}`,
    kind: 'photo',
    title: `Photo ${photo.fileName}`,
    detail: `${facilityName(labels, photo.surveyId)} · ${question?.label ?? photo.questionId} · ${formatBytes(photo.byteSize)}`,
    status: photo.status,
    error: photo.error,
    attempts: photo.attempts,
  };
}

function describeSubmission(labels: SurveyLabels, submission: QueuedSubmission): QueueItem {
  return {
    key: `submission:${submission.surveyId}`,
    kind: 'submission',
    title: 'Survey submission',
    detail: facilityName(labels, submission.surveyId),
    status: submission.status,
    error: submission.error,
    attempts: submission.attempts,
  };
}

async function readQueueItems(): Promise<QueueItems> {
  const [mutations, photos, submissions] = await Promise.all([
    db.mutations.orderBy('createdAt').limit(LISTED_PER_QUEUE).toArray(),
    db.photos.where('status').notEqual('uploaded').limit(LISTED_PER_QUEUE).toArray(),
    db.submissions.where('status').notEqual('done').toArray(),
  ]);
  const surveyIds = [...mutations, ...photos, ...submissions].map((item) => item.surveyId);
  const labels = await readSurveyLabels(surveyIds);

  const items = [
    ...submissions.map((submission) => describeSubmission(labels, submission)),
    ...photos.map((photo) => describePhoto(labels, photo)),
    ...mutations.map((mutation) => describeMutation(labels, mutation)),
  ];
  return {
    waiting: items.filter((item) => !FAILED_STATUSES.has(item.status)),
    failed: items.filter((item) => FAILED_STATUSES.has(item.status)),
  };
}

/** React hook: the items waiting to sync and those that failed, named for people, live. */
export function useQueueItems(): QueueItems | undefined {
  return useLiveQuery(readQueueItems, []);
}
