// The data layer's surface: everything the screens call. Screens read tables of `db` with
// useLiveQuery and call these functions to change things; no screen talks to the network.
//
// How the pieces fit (each file's header has the details):
//   queue.ts        answer edits: answer row + queued mutation in one transaction
//   sync-engine.ts  rounds of push (push.ts), upload (uploads.ts), submit (submissions.ts)
//                   and pull (pull.ts), and the background triggers
//   session.ts      sign-in state, access token in memory, renewal by refresh cookie
//   clock.ts        hybrid logical clock stamps corrected by the server's Date header
//   refresh.ts      downloads of surveys, templates, facilities and survey details
//   photos.ts       photos: compression (compression.ts and the worker), EXIF facts
//   notifications.ts  the live notification socket

import type { AnswerValue, UserView } from '@avior/contract';
import * as conflicts from './conflicts.ts';
import { getDevice } from './device.ts';
import * as notifications from './notifications.ts';
import * as photos from './photos.ts';
import * as queue from './queue.ts';
import * as refresh from './refresh.ts';
import * as session from './session.ts';
import type { SessionState } from './state.ts';
import * as submissions from './submissions.ts';
import * as engine from './sync-engine.ts';

export { db } from './db.ts';
export type * from './db.ts';
export { ActionError } from './errors.ts';
export type { SessionState, SessionStatus, SyncPhase, SyncState } from './state.ts';
export { useSession, useSyncState } from './hooks.ts';

/** Restores the saved session at start: uses the refresh cookie when online, the device data when not. */
export async function restoreSession(): Promise<SessionState> {
  return session.restoreSession(getDevice());
}
/** Signs in with email and password; the refresh token lands in an httpOnly cookie. */
export async function signIn(email: string, password: string): Promise<UserView> {
  return session.signIn(getDevice(), email, password);
}
/** Signs out. Refuses with an ActionError while changes are waiting to sync, unless `force`. */
export async function signOut(options?: { force?: boolean }): Promise<void> {
  return session.signOut(getDevice(), options);
}

/**
 * Downloads what the signed-in person works with into the device database: for an inspector the
 * assigned surveys, their templates and answers, facilities, conflicts and notifications; for a
 * manager the surveys of the organisation. Resolves when done; rejects when offline.
 */
export async function refreshFromServer(): Promise<void> {
  return refresh.refreshFromServer(getDevice());
}
/** Fetches one survey in full (answers, findings, photos, report) into the database. */
export async function loadSurveyDetail(surveyId: string): Promise<void> {
  return refresh.loadSurveyDetail(getDevice(), surveyId);
}

/** Saves an answer on the device and queues it for the server. Debounce typing before calling. */
export async function setAnswer(
  surveyId: string,
  questionId: string,
  value: AnswerValue | null,
  note?: string | null,
): Promise<void> {
  return queue.setAnswer(getDevice(), surveyId, questionId, value, note);
}
/** Saves only the note of an answer, keeping its value. */
export async function setNote(
  surveyId: string,
  questionId: string,
  note: string | null,
): Promise<void> {
  return queue.setNote(getDevice(), surveyId, questionId, note);
}
/**
 * Adds a photo to a photo question: compresses it in a worker (longest side 2048, capture time
 * and GPS kept), stores it, adds its id to the answer and queues the upload. Returns the photo id.
 */
export async function addPhoto(surveyId: string, questionId: string, file: File): Promise<string> {
  return photos.addPhoto(getDevice(), surveyId, questionId, file);
}
/** Removes a photo from its question's answer; an upload not yet sent is cancelled. */
export async function removePhoto(photoId: string): Promise<void> {
  return photos.removePhoto(getDevice(), photoId);
}
/**
 * Queues the submission of a survey. Throws an ActionError naming the first required question
 * that has no answer. The survey is sent once its answers and photos are on the server.
 */
export async function submitSurvey(surveyId: string): Promise<void> {
  return submissions.submitSurvey(getDevice(), surveyId);
}
/** Resolves a conflict on the server (keep the current value, restore the overwritten one, or a new value). */
export async function resolveConflict(
  conflictId: string,
  choose: 'winning' | 'losing' | 'value',
  value?: AnswerValue | null,
): Promise<void> {
  return conflicts.resolveConflict(getDevice(), conflictId, choose, value);
}
/** Runs a sync round now: push, upload, submit, pull. Never throws; see useSyncState. */
export async function syncNow(): Promise<void> {
  return engine.syncNow(getDevice());
}
/** Puts failed mutations, photos and submissions back in the queue. */
export async function retryFailed(): Promise<void> {
  return engine.retryFailed(getDevice());
}
/** Asks the server for a new PDF report of a survey; the ready report arrives by notification. */
export async function requestReport(surveyId: string): Promise<void> {
  return refresh.requestReport(getDevice(), surveyId);
}
/** Marks a notification as read, on the device and on the server. */
export async function markNotificationRead(id: string): Promise<void> {
  return notifications.markNotificationRead(getDevice(), id);
}
/**
 * Starts background work after sign-in: sync on start, on regaining the network, after local
 * writes and every 30 s, and the live notification socket. Returns a function that stops it.
 */
export function startBackgroundSync(): () => void {
  return engine.startBackgroundSync(getDevice());
}
