import type { AnswerValue } from '@avior/contract';
import { addPhoto, removePhoto, setAnswer, setNote } from '../../../data/index.ts';
import type { SaveTracker } from './save-tracker.ts';

/** The writes a question can make. One stable object per runner, so question cards stay memoized. */
export interface AnswerActions {
  answer(questionId: string, value: AnswerValue | null): Promise<void>;
  note(questionId: string, note: string | null): Promise<void>;
  addPhoto(questionId: string, file: File): Promise<string>;
  removePhoto(photoId: string): Promise<void>;
}

/** Builds the writes of one survey, each followed by the save indicator. */
export function createAnswerActions(surveyId: string, tracker: SaveTracker): AnswerActions {
  return {
    answer: (questionId, value) => tracker.track(setAnswer(surveyId, questionId, value)),
    note: (questionId, note) => tracker.track(setNote(surveyId, questionId, note)),
    addPhoto: (questionId, file) => tracker.track(addPhoto(surveyId, questionId, file)),
    removePhoto: (photoId) => tracker.track(removePhoto(photoId)),
  };
}
