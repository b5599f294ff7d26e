import type { AnswerValue, Question, TemplateDefinition } from '@avior/contract';
import { describe, expect, it } from 'vitest';
import { loadFireProtectionTemplate } from '../templates/fire-protection.importer.ts';
import { evaluateSurvey } from '@avior/contract';

const PHOTO_ID = '0190f1de-7a44-7c2e-9b1f-3c4d5e6f7a8b';

const TEMPLATE: TemplateDefinition = {
  key: 'pump-room',
  title: 'Pump room',
  sections: [
    {
      id: 'site',
      title: 'Site',
      questions: [
        {
          id: 'valves_open',
          type: 'yes_no_na',
          label: 'Control valves open?',
          required: true,
          rules: [
            {
              when: { operator: 'equals', value: 'no' },
              severity: 'critical',
              message: 'Valve closed',
            },
          ],
        },
        {
          id: 'signage',
          type: 'yes_no_na',
          label: 'Signs in place?',
          required: true,
          rules: [
            {
              when: { operator: 'equals', value: 'no' },
              severity: 'low',
              message: 'Signs missing',
            },
          ],
        },
        {
          id: 'pressure',
          type: 'number',
          label: 'Static pressure',
          required: false,
          min: 0,
          max: 300,
          rules: [
            { when: { operator: 'lt', value: 40 }, severity: 'high', message: 'Low pressure' },
            { when: { operator: 'lt', value: 20 }, severity: 'critical', message: 'No pressure' },
          ],
        },
        { id: 'notes', type: 'text', label: 'Notes', required: false },
      ],
    },
    {
      id: 'alarm',
      title: 'Alarm',
      questions: [
        {
          id: 'alarms',
          type: 'yes_no_na',
          label: 'Alarms in service?',
          required: true,
          rules: [
            { when: { operator: 'equals', value: 'no' }, severity: 'high', message: 'Alarms off' },
          ],
        },
        {
          id: 'alarm_company',
          type: 'text',
          label: 'Alarm company',
          required: true,
          visibleIf: { questionId: 'alarms', operator: 'equals', value: 'yes' },
        },
        {
          id: 'alarm_photo',
          type: 'photo',
          label: 'Alarm panel photo',
          required: false,
          visibleIf: { questionId: 'alarms', operator: 'equals', value: 'yes' },
          rules: [
            { when: { operator: 'not_answered' }, severity: 'medium', message: 'No panel photo' },
          ],
        },
      ],
    },
  ],
};

const COMPLIANT: Readonly<Record<string, AnswerValue>> = {
  valves_open: 'yes',
  signage: 'yes',
  pressure: 60,
  alarms: 'yes',
  alarm_company: 'Acme Monitoring',
  alarm_photo: [PHOTO_ID],
};

function evaluate(answers: Readonly<Record<string, AnswerValue>>) {
  return evaluateSurvey(TEMPLATE, new Map(Object.entries(answers)));
}

type AnswerChanges = Readonly<Record<string, AnswerValue | undefined>>;

// An undefined change removes the answer.
function compliantWith(changes: AnswerChanges) {
  const merged = Object.entries({ ...COMPLIANT, ...changes });
  const answers = merged.filter((entry): entry is [string, AnswerValue] => entry[1] !== undefined);
  return evaluateSurvey(TEMPLATE, new Map(answers));
}

describe('evaluateSurvey', () => {
  it('scores compliant answers 100', () => {
    expect(evaluate(COMPLIANT).score).toBe(100);
  });

  it('raises no flag for compliant answers', () => {
    expect(evaluate(COMPLIANT).flags).toEqual([]);
  });

  it('rates compliant answers low risk', () => {
    expect(evaluate(COMPLIANT).riskLevel).toBe('low');
  });

  it('counts answered and applicable questions', () => {
    const evaluation = evaluate(COMPLIANT);
    expect(evaluation.answeredCount).toBe(6);
    expect(evaluation.applicableCount).toBe(7);
  });

  it('describes a flag', () => {
    expect(compliantWith({ valves_open: 'no' }).flags).toEqual([
      {
        questionId: 'valves_open',
        sectionId: 'site',
        sectionTitle: 'Site',
        questionLabel: 'Control valves open?',
        answer: 'no',
        severity: 'critical',
        message: 'Valve closed',
      },
    ]);
  });

  it('raises every rule a number passes', () => {
    const severities = compliantWith({ pressure: 10 }).flags.map((flag) => flag.severity);
    expect(severities).toEqual(['high', 'critical']);
  });

  it('flags a missing photo with a null answer', () => {
    const flags = compliantWith({ alarm_photo: undefined }).flags;
    expect(flags.map((flag) => [flag.questionId, flag.answer])).toEqual([['alarm_photo', null]]);
  });

  it('never flags na', () => {
    expect(compliantWith({ valves_open: 'na', signage: 'na', alarms: 'na' }).flags).toEqual([]);
  });

  it('never flags na, even on a rule naming it', () => {
    const naRule: TemplateDefinition = {
      ...TEMPLATE,
      sections: [
        {
          id: 'only',
          title: 'Only',
          questions: [
            {
              id: 'access',
              type: 'yes_no_na',
              label: 'Area accessible?',
              required: true,
              rules: [
                { when: { operator: 'in', value: ['no', 'na'] }, severity: 'high', message: 'x' },
              ],
            },
          ],
        },
      ],
    };

    expect(evaluateSurvey(naRule, new Map([['access', 'na']])).flags).toEqual([]);
  });

  it('leaves na answers out of the score', () => {
    expect(compliantWith({ valves_open: 'na', signage: 'no' }).score).toBe(95);
  });

  it('never flags a hidden question', () => {
    const flags = compliantWith({ alarms: 'na', alarm_photo: undefined }).flags;
    expect(flags).toEqual([]);
  });

  it('lists missing required questions', () => {
    expect(evaluate({}).missingRequired).toEqual([
      { questionId: 'valves_open', label: 'Control valves open?', sectionTitle: 'Site' },
      { questionId: 'signage', label: 'Signs in place?', sectionTitle: 'Site' },
      { questionId: 'alarms', label: 'Alarms in service?', sectionTitle: 'Alarm' },
    ]);
  });

  it('does not require a hidden question', () => {
    const missing = compliantWith({ alarms: 'no', alarm_company: undefined }).missingRequired;
    expect(missing).toEqual([]);
  });

  it('requires a shown conditional question', () => {
    const missing = compliantWith({ alarm_company: '  ' }).missingRequired;
    expect(missing.map((entry) => entry.questionId)).toEqual(['alarm_company']);
  });

  it('scores 100 when nothing is answered', () => {
    expect(evaluate({}).score).toBe(100);
  });

  it.each([
    // Possible weight 30: valves 10, signage 1, pressure 10, alarms 6, photo 3. Alarms "no"
    // hides the photo, so that case scores 6 lost of 27.
    ['a low finding', { signage: 'no' }, 96.7, 'low'],
    ['a high finding', { alarms: 'no' }, 77.8, 'high'],
    ['a critical finding', { valves_open: 'no' }, 66.7, 'critical'],
    ['both pressure rules', { pressure: 10 }, 66.7, 'critical'],
    ['the milder pressure rule', { pressure: 30 }, 80, 'high'],
    ['a medium finding', { alarm_photo: undefined }, 90, 'medium'],
    [
      'every finding',
      { valves_open: 'no', signage: 'no', pressure: 5, alarm_photo: [] },
      20,
      'critical',
    ],
  ] as readonly [string, AnswerChanges, number, string][])(
    'scores %s',
    (_name, changes, score, riskLevel) => {
      const evaluation = compliantWith(changes);
      expect(evaluation.score).toBe(score);
      expect(evaluation.riskLevel).toBe(riskLevel);
    },
  );

  it('scores only answered and flagged questions', () => {
    expect(evaluate({ valves_open: 'yes', signage: 'no' }).score).toBe(90.9);
  });

  it('keeps the score from 0 to 100 for every answer mix', () => {
    const scores: number[] = [];
    for (const valves of ['yes', 'no', 'na']) {
      for (const alarms of ['yes', 'no', 'na']) {
        for (const pressure of [undefined, 5, 30, 60]) {
          const answers = { valves_open: valves, alarms, signage: 'no', pressure };
          scores.push(compliantWith(answers).score);
        }
      }
    }

    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...scores)).toBeLessThanOrEqual(100);
  });

  it('scores 0 when every scored question fails', () => {
    expect(evaluate({ valves_open: 'no' }).score).toBe(0);
  });
});

describe('evaluateSurvey risk level from the score', () => {
  const question = (index: number): Question => ({
    id: `check_${index}`,
    type: 'yes_no_na',
    label: `Check ${index}`,
    required: true,
    rules: [{ when: { operator: 'equals', value: 'no' }, severity: 'medium', message: 'Failed' }],
  });
  const mediumOnly: TemplateDefinition = {
    key: 'medium-only',
    title: 'Medium only',
    sections: [{ id: 'all', title: 'All', questions: [0, 1, 2, 3].map(question) }],
  };

  it.each([
    [1, 75, 'medium'],
    [2, 50, 'high'],
    [3, 25, 'critical'],
  ])('rates %d of 4 medium failures', (failures, score, riskLevel) => {
    const answers = new Map<string, AnswerValue>(
      [0, 1, 2, 3].map((index) => [`check_${index}`, index < failures ? 'no' : 'yes']),
    );
    const evaluation = evaluateSurvey(mediumOnly, answers);

    expect(evaluation.score).toBe(score);
    expect(evaluation.riskLevel).toBe(riskLevel);
  });
});

describe('evaluateSurvey on the fire-protection template', () => {
  const template = loadFireProtectionTemplate();
  const questions = template.sections.flatMap((section) => section.questions);

  function compliantAnswer(question: Question): AnswerValue {
    const flaggedAnswer = question.rules?.[0]?.when.value;
    switch (question.type) {
      case 'yes_no_na':
        return flaggedAnswer === 'yes' ? 'no' : 'yes';
      case 'single_choice':
        return question.options?.[0]?.value ?? '';
      case 'date':
        return '2024-05-14';
      case 'photo':
        return [PHOTO_ID];
      default:
        return 'Recorded on site';
    }
  }

  const compliant = new Map(questions.map((question) => [question.id, compliantAnswer(question)]));

  function withAnswers(changes: Readonly<Record<string, AnswerValue>>) {
    return evaluateSurvey(template, new Map([...compliant, ...Object.entries(changes)]));
  }

  it('scores compliant answers 100', () => {
    expect(evaluateSurvey(template, compliant).score).toBe(100);
  });

  it('raises no flag for compliant answers', () => {
    expect(evaluateSurvey(template, compliant).flags).toEqual([]);
  });

  it('misses no required answer when all are given', () => {
    expect(evaluateSurvey(template, compliant).missingRequired).toEqual([]);
  });

  it('hides the electric driver questions for a diesel pump', () => {
    const evaluation = evaluateSurvey(template, compliant);
    expect(evaluation.applicableCount).toBe(questions.length - 6);
  });

  it('counts every shown question answered', () => {
    const evaluation = evaluateSurvey(template, compliant);
    expect(evaluation.answeredCount).toBe(evaluation.applicableCount);
  });

  it('flags failing answers with their severity', () => {
    const evaluation = withAnswers({
      general_valves_sealed_open: 'no',
      general_modifications: 'yes',
      general_calc_card: 'no',
    });

    expect(evaluation.flags.map((flag) => [flag.questionId, flag.severity])).toEqual([
      ['general_modifications', 'medium'],
      ['general_valves_sealed_open', 'critical'],
      ['general_calc_card', 'low'],
    ]);
  });

  it('rates a closed control valve critical', () => {
    expect(withAnswers({ general_valves_sealed_open: 'no' }).riskLevel).toBe('critical');
  });

  it('lowers the score for a failing answer', () => {
    const score = withAnswers({ general_valves_sealed_open: 'no' }).score;
    expect(score).toBeLessThan(100);
    expect(score).toBeGreaterThan(90);
  });

  it('names the section of a flag', () => {
    const [flag] = withAnswers({ fdc_obstructed: 'no' }).flags;
    expect(flag?.sectionTitle).toBe('Fire department connection');
  });

  it('ignores findings under a hidden question', () => {
    const evaluation = withAnswers({ general_alarm_inservice: 'na', general_alarm_notified: 'no' });
    expect(evaluation.flags).toEqual([]);
  });

  it('never flags na answers', () => {
    const allNa = new Map(
      questions.map((question) => [
        question.id,
        question.type === 'yes_no_na' ? 'na' : compliantAnswer(question),
      ]),
    );
    expect(evaluateSurvey(template, allNa).flags).toEqual([]);
  });

  it('requires the report number', () => {
    const missing = evaluateSurvey(template, new Map()).missingRequired;
    expect(missing.map((entry) => entry.questionId)).toContain('general_report_internal_code');
  });

  it('does not require hidden alarm questions', () => {
    const missing = evaluateSurvey(template, new Map()).missingRequired;
    expect(missing.map((entry) => entry.questionId)).not.toContain('general_alarm_notified');
  });
});
