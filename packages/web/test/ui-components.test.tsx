import 'fake-indexeddb/auto';
import type { AnswerValue, Question } from '@avior/contract';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { LocalSurvey, QueuedSubmission } from '../src/data/index.ts';
import type { AnswerActions } from '../src/ui/components/runner/answer-actions.ts';
import { QuestionCard } from '../src/ui/components/runner/question-card.tsx';
import { SaveTracker } from '../src/ui/components/runner/save-tracker.ts';
import { describeSubmission } from '../src/ui/components/runner/submission-state.ts';
import { formatDay, percent } from '../src/ui/format.ts';
import { matchPath } from '../src/ui/router.tsx';

const ACTIONS: AnswerActions = {
  answer: () => Promise.resolve(),
  note: () => Promise.resolve(),
  addPhoto: () => Promise.resolve('photo'),
  removePhoto: () => Promise.resolve(),
};

function renderQuestion(question: Question, value: AnswerValue | null = null, readOnly = false) {
  return renderToStaticMarkup(
    <QuestionCard
      surveyId="survey-1"
      question={question}
      value={value}
      note={null}
      flags={[]}
      readOnly={readOnly}
      highlighted={false}
      actions={ACTIONS}
    />,
  );
}

function survey(overrides: Partial<LocalSurvey> = {}): LocalSurvey {
  return {
    id: 'survey-1',
    status: 'in_progress',
    facility: { id: 'f', name: 'Plant' },
    template: { id: 't', title: 'Checklist', version: 1 },
    inspector: { id: 'i', name: 'Ian' },
    dueDate: null,
    score: null,
    riskLevel: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    submittedAt: null,
    fetchedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function submission(status: QueuedSubmission['status'], error: string | null = null) {
  return { surveyId: 'survey-1', status, queuedAt: '', attempts: 1, nextAttemptAt: 0, error };
}

describe('matchPath', () => {
  it.each([
    ['/surveys/:id', '/surveys/42', { id: '42' }],
    ['/surveys/:id', '/surveys/a%20b', { id: 'a b' }],
    ['/manage/surveys/:id', '/manage/surveys/7/', { id: '7' }],
    ['/surveys', '/surveys', {}],
  ])('matches %s against %s', (pattern, path, params) => {
    expect(matchPath(pattern, path)).toEqual(params);
  });

  it.each([
    ['/surveys/:id', '/surveys'],
    ['/surveys/:id', '/facilities/1'],
    ['/manage', '/manage/surveys/1'],
  ])('rejects %s against %s', (pattern, path) => {
    expect(matchPath(pattern, path)).toBeNull();
  });
});

describe('describeSubmission', () => {
  it('keeps an untouched survey open', () => {
    expect(describeSubmission(survey(), null)).toEqual({
      submitted: false,
      label: null,
      error: null,
    });
  });

  it('shows a queued submission as waiting to sync', () => {
    const queued = survey({ submitQueuedAt: '2026-01-02T00:00:00.000Z' });
    expect(describeSubmission(queued, submission('waiting')).label).toBe(
      'Submitted, waiting to sync',
    );
  });

  it('shows a sent submission as submitted', () => {
    expect(describeSubmission(survey(), submission('done')).label).toBe('Submitted');
  });

  it('shows the server status as submitted', () => {
    expect(describeSubmission(survey({ status: 'submitted' }), null).label).toBe('Submitted');
  });

  it('reopens a survey whose submission the server refused', () => {
    const state = describeSubmission(survey(), submission('failed', 'answers missing'));
    expect(state.submitted).toBe(false);
    expect(state.error).toBe('answers missing');
  });
});

describe('SaveTracker', () => {
  it('reports saved after every write finished', async () => {
    const tracker = new SaveTracker();
    const write = tracker.track(Promise.resolve());
    expect(tracker.getSnapshot().kind).toBe('saving');
    await write;
    expect(tracker.getSnapshot().kind).toBe('saved');
  });

  it('reports a failed write with its message', async () => {
    const tracker = new SaveTracker();
    await expect(tracker.track(Promise.reject(new Error('disk full')))).rejects.toThrow();
    expect(tracker.getSnapshot()).toEqual({ kind: 'failed', message: 'disk full' });
  });

  it('resolves whenIdle once running writes finish', async () => {
    const tracker = new SaveTracker();
    let finish = () => {};
    void tracker.track(new Promise<void>((resolve) => (finish = resolve)));
    const idle = tracker.whenIdle();
    finish();
    await expect(idle).resolves.toBeUndefined();
  });
});

describe('QuestionCard', () => {
  const base = { id: 'q1', label: 'Door clear?', required: true } as const;

  it('renders yes, no and n/a buttons with the chosen one pressed', () => {
    const html = renderQuestion({ ...base, type: 'yes_no_na' }, 'no');
    expect(html).toContain('data-testid="answer-yes"');
    expect(html).toContain('data-testid="answer-na"');
    expect(html).toMatch(/data-testid="answer-no" aria-pressed="true"/);
  });

  it('names the question on its note and clear buttons', () => {
    const html = renderQuestion({ ...base, type: 'yes_no_na' }, 'no');
    expect(html).toMatch(/data-testid="note-toggle" aria-describedby="q-q1-label"/);
    expect(html).toMatch(/data-testid="answer-clear" aria-describedby="q-q1-label"/);
    expect(html).toContain('id="q-q1-label"');
  });

  it('marks a required question without an answer', () => {
    expect(renderQuestion({ ...base, type: 'yes_no_na' })).toContain(
      'data-testid="required-missing"',
    );
  });

  it('drops the missing marker once answered', () => {
    expect(renderQuestion({ ...base, type: 'yes_no_na' }, 'yes')).not.toContain('required-missing');
  });

  it('renders one input per choice option', () => {
    const options = [
      { value: 'wet', label: 'Wet' },
      { value: 'dry', label: 'Dry' },
    ];
    const html = renderQuestion({ ...base, type: 'multiple_choice', options }, ['dry']);
    expect(html).toContain('data-testid="choice-wet"');
    expect(html).toMatch(/type="checkbox"[^>]*data-testid="choice-dry"[^>]*checked/);
  });

  it('renders rating buttons up to the maximum', () => {
    const html = renderQuestion({ ...base, type: 'rating', max: 4 });
    expect(html).toContain('data-testid="rating-4"');
    expect(html).not.toContain('data-testid="rating-5"');
  });

  it('renders a multiline text answer as a textarea', () => {
    const html = renderQuestion({ ...base, type: 'text', multiline: true }, 'Rusty');
    expect(html).toMatch(/<textarea[^>]*data-testid="answer-input"/);
  });

  it('renders number limits next to the input', () => {
    const html = renderQuestion({ ...base, type: 'number', min: 0, max: 10, step: 0.5 });
    expect(html).toContain('From 0 to 10, in steps of 0.5');
  });

  it('renders the camera input of a photo question', () => {
    const html = renderQuestion({ ...base, type: 'photo' });
    expect(html).toMatch(/type="file"[^>]*accept="image\/\*"[^>]*capture="environment"/);
  });

  it('disables answers of a submitted survey', () => {
    const html = renderQuestion({ ...base, type: 'yes_no_na' }, 'yes', true);
    expect(html).toMatch(/data-testid="answer-yes"[^>]*disabled/);
  });
});

describe('format helpers', () => {
  it('formats a calendar date without shifting the day', () => {
    expect(formatDay('2026-03-15')).toBe('15 Mar 2026');
  });

  it('returns 0 percent of nothing', () => {
    expect(percent(3, 0)).toBe(0);
  });
});
