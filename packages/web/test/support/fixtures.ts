import type { TemplateView } from '@avior/contract';
import { v7 as uuidv7 } from 'uuid';
import type { LocalSurvey } from '../../src/data/db.ts';
import type { Device } from '../../src/data/device.ts';

// A small template and survey for tests that need no server.

export const TEMPLATE: TemplateView = {
  id: '0190f0a0-0000-7000-8000-000000000001',
  key: 'boiler-room',
  version: 1,
  title: 'Boiler room walk-through',
  questionCount: 5,
  createdAt: '2026-01-01T00:00:00.000Z',
  definition: {
    key: 'boiler-room',
    title: 'Boiler room walk-through',
    sections: [
      {
        id: 'access',
        title: 'Access',
        questions: [
          {
            id: 'door_clear',
            type: 'yes_no_na',
            label: 'Is the door free of obstructions?',
            required: true,
          },
          {
            id: 'obstruction',
            type: 'text',
            label: 'What blocks the door?',
            required: true,
            visibleIf: { questionId: 'door_clear', operator: 'equals', value: 'no' },
          },
          { id: 'door_photo', type: 'photo', label: 'Photo of the door', required: false },
        ],
      },
      {
        id: 'valves',
        title: 'Valves',
        questions: [
          { id: 'valves_open', type: 'yes_no_na', label: 'Are all valves open?', required: true },
          {
            id: 'pressure',
            type: 'number',
            label: 'Pressure in bar',
            required: false,
            min: 0,
            max: 20,
          },
        ],
      },
    ],
  },
};

export function surveyRow(overrides: Partial<LocalSurvey> = {}): LocalSurvey {
  return {
    id: uuidv7(),
    status: 'assigned',
    facility: { id: uuidv7(), name: 'Harbour depot' },
    template: { id: TEMPLATE.id, title: TEMPLATE.title, version: TEMPLATE.version },
    inspector: { id: uuidv7(), name: 'Ines Inspector' },
    dueDate: null,
    score: null,
    riskLevel: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    submittedAt: null,
    fetchedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** Stores the template and a new survey on the device; returns the survey id. */
export async function seedSurvey(device: Device, overrides: Partial<LocalSurvey> = {}) {
  const survey = surveyRow(overrides);
  await device.db.templates.put(TEMPLATE);
  await device.db.surveys.put(survey);
  return survey.id;
}
