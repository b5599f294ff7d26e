import type {
  AnswerValue,
  FacilityView,
  MediaView,
  NotificationView,
  ReportView,
  SurveySummary,
  SurveyView,
  SyncConflictView,
  TemplateView,
  UserView,
} from '@avior/contract';
import { Dexie, type EntityTable } from 'dexie';

// The device database. Screens read from it, so they never wait on the network. The sync
// engine fills it from the server and sends the queues (mutations, photos, submissions) there.

/** A survey as stored on the device. Summary fields come from the server list. */
export interface LocalSurvey extends SurveySummary {
  startedAt?: string | null;
  reviewedAt?: string | null;
  reviewNote?: string | null;
  /** Findings as the server computed them; present once the full survey was fetched. */
  findings?: SurveyView['findings'];
  /** The inspector pressed submit; the submission waits in the submissions queue. */
  submitQueuedAt?: string | null;
  /** When the device last wrote this row from a server response. */
  fetchedAt: string;
}

/** The current answer to one question, local edits included. */
export interface LocalAnswer {
  surveyId: string;
  questionId: string;
  value: AnswerValue | null;
  note: string | null;
  /** Hybrid logical clock stamp of the write that produced this value. */
  hlc: string;
  updatedAt: string;
  /** 1 while a local edit has not been accepted by the server. */
  dirty: 0 | 1;
}

export type MutationStatus = 'waiting' | 'failed' | 'rejected';

/** One answer edit waiting to be pushed. Its id is the client mutation id the server dedupes on. */
export interface QueuedMutation {
  id: string;
  kind: 'answer.set';
  surveyId: string;
  questionId: string;
  value: AnswerValue | null;
  note: string | null;
  hlc: string;
  createdAt: string;
  status: MutationStatus;
  attempts: number;
  /** Unix milliseconds before which the engine does not retry this mutation. */
  nextAttemptAt: number;
  error: string | null;
  /** Photos that must finish uploading before the server accepts this answer. */
  waitsForMedia: string[];
}

export type PhotoStatus = 'compressing' | 'waiting' | 'uploading' | 'uploaded' | 'failed';

/** A photo taken on the device. Its id is the media id the server will use. */
export interface LocalPhoto {
  id: string;
  surveyId: string;
  questionId: string;
  fileName: string;
  contentType: string;
  /** The compressed file to upload; the original when it could not be compressed. */
  blob: Blob | null;
  /** A small JPEG for previews on the device. */
  thumbnail: Blob | null;
  width: number | null;
  height: number | null;
  byteSize: number;
  originalByteSize: number;
  capturedAt: string | null;
  latitude: number | null;
  longitude: number | null;
  createdAt: string;
  status: PhotoStatus;
  bytesUploaded: number;
  /** Address of the resumable upload on the server, kept so a cut upload resumes. */
  uploadUrl: string | null;
  attempts: number;
  nextAttemptAt: number;
  error: string | null;
}

export type SubmissionStatus = 'waiting' | 'failed' | 'done';

/** A submit pressed on the device, sent once the survey's answers and photos are on the server. */
export interface QueuedSubmission {
  surveyId: string;
  status: SubmissionStatus;
  queuedAt: string;
  attempts: number;
  nextAttemptAt: number;
  error: string | null;
}

export interface LocalFacility extends FacilityView {
  /** Lower-case name, address and kind, for search. */
  searchText: string;
}

export interface LocalReport extends ReportView {
  fetchedAt: string;
}

export interface LocalMedia extends MediaView {
  fetchedAt: string;
}

export interface MetaEntry {
  key: MetaKey;
  value: unknown;
}

/**
 * Keys of the meta table: `user` (UserView of the signed-in person), `deviceId`, `pullCursor`
 * (opaque server cursor), `clockOffsetMs` (server time minus device time), `hlc` (last stamp
 * issued), `lastSyncedAt` (ISO time), `signOutPending` (true after a sign-out whose refresh cookie
 * the server has not revoked yet).
 */
export type MetaKey =
  'user' | 'deviceId' | 'pullCursor' | 'clockOffsetMs' | 'hlc' | 'lastSyncedAt' | 'signOutPending';

export type StoredUser = UserView;

export class AviorDatabase extends Dexie {
  meta!: EntityTable<MetaEntry, 'key'>;
  templates!: EntityTable<TemplateView, 'id'>;
  facilities!: EntityTable<LocalFacility, 'id'>;
  surveys!: EntityTable<LocalSurvey, 'id'>;
  answers!: Dexie.Table<LocalAnswer, [string, string]>;
  mutations!: EntityTable<QueuedMutation, 'id'>;
  photos!: EntityTable<LocalPhoto, 'id'>;
  submissions!: EntityTable<QueuedSubmission, 'surveyId'>;
  conflicts!: EntityTable<SyncConflictView, 'id'>;
  notifications!: EntityTable<NotificationView, 'id'>;
  media!: EntityTable<LocalMedia, 'id'>;
  reports!: EntityTable<LocalReport, 'surveyId'>;

  constructor(name = 'avior') {
    super(name);
    this.version(1).stores({
      meta: 'key',
      templates: 'id',
      facilities: 'id, name',
      surveys: 'id, status, facility.id',
      answers: '[surveyId+questionId], surveyId, dirty',
      mutations: 'id, status, surveyId, createdAt',
      photos: 'id, surveyId, status, createdAt',
      submissions: 'surveyId, status',
      conflicts: 'id, surveyId, resolvedAt',
      notifications: 'id, createdAt',
      media: 'id, surveyId',
      reports: 'surveyId',
    });
  }
}

/** The database the app uses. Tests create their own with another name. */
export const db = new AviorDatabase();
