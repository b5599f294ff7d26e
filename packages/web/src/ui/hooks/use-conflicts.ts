import { formatAnswer, type Question, type SyncConflictView } from '@avior/contract';
import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../data/index.ts';
import { readSurveyLabels } from './survey-labels.ts';

export interface ConflictItem {
  conflict: SyncConflictView;
  questionLabel: string;
  facilityName: string;
  /** The value the server kept, formatted. */
  winningText: string;
  /** The value a later write overwrote, formatted. */
  losingText: string;
  /** Device that wrote the overwritten value, in words. */
  losingDevice: string;
}

function describeDevice(deviceId: string | null, ownDeviceId: unknown): string {
  if (!deviceId) {
    return 'an unknown device';
  }

  return deviceId === ownDeviceId ? 'this device' : `another device (${deviceId.slice(0, 8)})`;
}

function formatSide(question: Question | undefined, value: SyncConflictView['winning']): string {
  const text = question ? formatAnswer(question, value.value) : JSON.stringify(value.value);
  return value.note ? `${text} (note: ${value.note})` : text;
}

async function readConflicts(): Promise<ConflictItem[]> {
  // resolvedAt is null while open, and IndexedDB does not index null, so this filters.
  const open = await db.conflicts.filter((conflict) => !conflict.resolvedAt).toArray();
  const labels = await readSurveyLabels(open.map((conflict) => conflict.surveyId));
  const ownDeviceId = (await db.meta.get('deviceId'))?.value;

  return open
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((conflict) => {
      const question = labels.question(conflict.surveyId, conflict.questionId);
      return {
        conflict,
        questionLabel: question?.label ?? `Question ${conflict.questionId}`,
        facilityName: labels.surveys.get(conflict.surveyId)?.facility.name ?? 'Unknown survey',
        winningText: formatSide(question, conflict.winning),
        losingText: formatSide(question, conflict.losing),
        losingDevice: describeDevice(conflict.losingDeviceId, ownDeviceId),
      };
    });
}

/** React hook: the open conflicts with both values formatted, live. */
export function useConflicts(): ConflictItem[] | undefined {
  return useLiveQuery(readConflicts, []);
}
