import type { AnswerValue, Question, TemplateDefinition } from '@avior/contract';
import { describe, expect, it } from 'vitest';
import {
  indexQuestions,
  isQuestionVisible,
  listVisibleQuestionIds,
} from '../src/rules/visibility.ts';

// A chain: alarms -> alarm_company -> alarm_phone, plus a group condition on two sources.
const TEMPLATE: TemplateDefinition = {
  key: 'alarm-check',
  title: 'Alarm check',
  sections: [
    {
      id: 'alarms',
      title: 'Alarms',
      questions: [
        { id: 'alarms', type: 'yes_no_na', label: 'Alarm systems in service?', required: true },
        {
          id: 'alarm_company',
          type: 'single_choice',
          label: 'Monitoring company',
          required: true,
          options: [
            { value: 'acme', label: 'Acme' },
            { value: 'other', label: 'Other' },
          ],
          visibleIf: { questionId: 'alarms', operator: 'equals', value: 'yes' },
        },
        {
          id: 'alarm_phone',
          type: 'text',
          label: 'Company phone',
          required: false,
          visibleIf: { questionId: 'alarm_company', operator: 'answered' },
        },
      ],
    },
    {
      id: 'pump',
      title: 'Pump',
      questions: [
        { id: 'pressure', type: 'number', label: 'Pressure', required: false },
        {
          id: 'follow_up',
          type: 'text',
          label: 'Follow-up',
          required: false,
          visibleIf: {
            all: [
              { questionId: 'alarms', operator: 'in', value: ['no', 'na'] },
              { questionId: 'pressure', operator: 'answered' },
            ],
          },
        },
        {
          id: 'either',
          type: 'text',
          label: 'Either',
          required: false,
          visibleIf: {
            any: [
              { questionId: 'alarm_phone', operator: 'answered' },
              { questionId: 'pressure', operator: 'equals', value: 0 },
            ],
          },
        },
      ],
    },
  ],
};

const lookup = indexQuestions(TEMPLATE);

function question(id: string): Question {
  const found = lookup.get(id);
  if (!found) {
    throw new Error(`question ${id} missing`);
  }

  return found;
}

function answers(entries: Record<string, AnswerValue>): ReadonlyMap<string, AnswerValue> {
  return new Map(Object.entries(entries));
}

describe('isQuestionVisible', () => {
  it('shows a question without a condition', () => {
    expect(isQuestionVisible(question('alarms'), answers({}), lookup)).toBe(true);
  });

  it.each([
    ['alarm_company', {}, false],
    ['alarm_company', { alarms: 'yes' }, true],
    ['alarm_company', { alarms: 'no' }, false],
    ['alarm_phone', { alarms: 'yes', alarm_company: 'acme' }, true],
    ['alarm_phone', { alarms: 'yes' }, false],
    ['follow_up', { alarms: 'na', pressure: 40 }, true],
    ['follow_up', { alarms: 'na' }, false],
    ['follow_up', { alarms: 'yes', pressure: 40 }, false],
    ['either', { pressure: 0 }, true],
    ['either', { alarms: 'yes', alarm_company: 'acme', alarm_phone: '555-0100' }, true],
    ['either', { pressure: 5 }, false],
  ] as const)('decides %s with %j is %s', (id, given, expected) => {
    expect(isQuestionVisible(question(id), answers(given), lookup)).toBe(expected);
  });

  it('hides a question whose source is hidden, even if answered', () => {
    const given = answers({ alarms: 'no', alarm_company: 'acme' });
    expect(isQuestionVisible(question('alarm_phone'), given, lookup)).toBe(false);
  });

  it('ignores a hidden source in an any group', () => {
    const given = answers({ alarms: 'no', alarm_company: 'acme', alarm_phone: '555-0100' });
    expect(isQuestionVisible(question('either'), given, lookup)).toBe(false);
  });

  it('hides a question whose source is unknown', () => {
    const orphan: Question = {
      id: 'orphan',
      type: 'text',
      label: 'Orphan',
      required: false,
      visibleIf: { questionId: 'missing', operator: 'answered' },
    };
    expect(isQuestionVisible(orphan, answers({ missing: 'x' }), lookup)).toBe(false);
  });

  it('hides questions in a condition cycle', () => {
    const first: Question = {
      id: 'first',
      type: 'text',
      label: 'First',
      required: false,
      visibleIf: { questionId: 'second', operator: 'answered' },
    };
    const second: Question = {
      ...first,
      id: 'second',
      visibleIf: { questionId: 'first', operator: 'answered' },
    };
    const cyclic = new Map([
      ['first', first],
      ['second', second],
    ]);

    expect(isQuestionVisible(first, answers({ first: 'a', second: 'b' }), cyclic)).toBe(false);
  });
});

describe('listVisibleQuestionIds', () => {
  it('lists visible questions for the answers', () => {
    const given = answers({ alarms: 'yes', alarm_company: 'other', pressure: 12 });
    expect([...listVisibleQuestionIds(TEMPLATE, given)]).toEqual([
      'alarms',
      'alarm_company',
      'alarm_phone',
      'pressure',
    ]);
  });
});
