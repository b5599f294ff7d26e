import type { AnswerValue, Question, TemplateDefinition } from '@avior/contract';
import type { Page } from 'playwright-core';
import { question } from './app.ts';

/** Picks the answer a test gives a question, or null to leave the question blank. */
export type AnswerPicker = (question: Question) => AnswerValue | null;

/** The answers a test entered through the runner, by question id. */
export type EnteredAnswers = Map<string, AnswerValue>;

/** A valid calendar date for date questions. */
export const ANSWER_DATE = '2026-12-01';

/** Opens a section of the survey runner through its link in the section navigation. */
export async function openSection(page: Page, definition: TemplateDefinition, sectionId: string) {
  const section = definition.sections.find((candidate) => candidate.id === sectionId);
  if (!section) throw new Error(`the template has no section ${sectionId}`);

  await page.locator(`[data-testid="section-link"][data-section-id="${sectionId}"]`).click();
  const ids = section.questions.map((item) => item.id);
  await page.waitForFunction(
    (sectionQuestionIds) => {
      const first = document.querySelector<HTMLElement>('[data-testid="question"]');
      return first !== null && sectionQuestionIds.includes(first.dataset.questionId ?? '');
    },
    ids,
    { timeout: 15_000 },
  );
}

/** Ids of the questions the runner shows now, in page order. */
export async function listShownQuestionIds(page: Page): Promise<string[]> {
  return page
    .getByTestId('question')
    .evaluateAll((elements) =>
      elements.map((element) => (element as HTMLElement).dataset.questionId ?? ''),
    );
}

/**
 * How a test operates the runner's controls. `pointer` clicks and types through Playwright, as a
 * person would. `dom` calls click() on the same controls inside the page and sets input values
 * with input events. That runs the same React handlers with fewer round trips to the browser,
 * for long runs of plain answers.
 */
export type InputMode = 'pointer' | 'dom';

/**
 * Answers, through the runner, every shown question of the open section that `pick` gives a
 * value and that has no entered answer yet, including questions that appear on the way because
 * their condition is met. Waits until the runner shows every answer. Returns the ids answered.
 */
export async function answerOpenSection(
  page: Page,
  definition: TemplateDefinition,
  pick: AnswerPicker,
  entered: EnteredAnswers,
  mode: InputMode = 'pointer',
): Promise<string[]> {
  const questions = new Map(
    definition.sections.flatMap((section) => section.questions).map((item) => [item.id, item]),
  );
  const answered: string[] = [];

  for (;;) {
    const todo = (await listShownQuestionIds(page)).flatMap((id) => {
      const item = questions.get(id);
      const value = item && !entered.has(id) ? pick(item) : null;
      return item && value !== null ? [{ item, value }] : [];
    });
    if (todo.length === 0) break;

    if (mode === 'dom') await enterAnswersInPage(page, todo);
    for (const { item, value } of todo) {
      if (mode === 'pointer') await enterAnswer(page, item, value);
      entered.set(item.id, value);
      answered.push(item.id);
    }
  }
  await waitForShownAnswers(page, definition, entered, answered);
  return answered;
}

/** Operates the controls of several questions inside the page, one animation frame apart. */
async function enterAnswersInPage(
  page: Page,
  answers: readonly { item: Question; value: AnswerValue }[],
): Promise<void> {
  const plan = answers.map(({ item, value }) => ({ id: item.id, type: item.type, value }));
  await page.evaluate(async (steps) => {
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    for (const { id, type, value } of steps) {
      const card = document.querySelector(`[data-testid="question"][data-question-id="${id}"]`);
      if (!card) throw new Error(`question ${id} is not shown`);
      const find = (testId: string) => {
        const control = card.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
        if (!control) throw new Error(`question ${id} has no control ${testId}`);
        return control;
      };

      if (type === 'yes_no_na') find(`answer-${String(value)}`).click();
      else if (type === 'rating') find(`rating-${String(value)}`).click();
      else if (type === 'single_choice' || type === 'multiple_choice') {
        for (const option of Array.isArray(value) ? value : [value]) {
          find(`choice-${String(option)}`).click();
        }
      } else {
        // React tracks the value of controlled inputs, so the native setter must run first.
        const input = find('answer-input') as HTMLInputElement | HTMLTextAreaElement;
        const prototype = Object.getPrototypeOf(input) as object;
        Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(input, String(value));
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      await nextFrame();
    }
  }, plan);
}

/**
 * Enters one answer with the control its question type has. It does not wait for the answer to
 * show; `waitForShownAnswers` does that for many at once.
 */
export async function enterAnswer(page: Page, item: Question, value: AnswerValue): Promise<void> {
  const card = question(page, item.id);
  switch (item.type) {
    case 'yes_no_na':
    case 'rating': {
      const testId = item.type === 'rating' ? `rating-${value}` : `answer-${value}`;
      await card.getByTestId(testId).click();
      return;
    }
    case 'single_choice':
    case 'multiple_choice':
      for (const option of Array.isArray(value) ? value : [String(value)]) {
        await card.getByTestId(`choice-${option}`).check();
      }
      return;
    case 'text':
    case 'number':
    case 'date':
      await card.getByTestId('answer-input').fill(String(value));
      return;
    case 'photo':
      throw new Error(`question ${item.id} takes photos; attach them through photo-input`);
  }
}

/** Writes a note on a question through its note toggle. */
export async function enterNote(page: Page, questionId: string, note: string): Promise<void> {
  const card = question(page, questionId);
  await card.scrollIntoViewIfNeeded();
  const input = card.getByTestId('note-input');
  if (!(await input.isVisible())) await card.getByTestId('note-toggle').click();
  await input.fill(note);
}

/**
 * A plain answer for every question type: yes, the first option, a fixed date, the top rating.
 * Numbers are the question's minimum, or 1.
 */
export function plainAnswer(item: Question): AnswerValue | null {
  switch (item.type) {
    case 'yes_no_na':
      return 'yes';
    case 'single_choice':
      return item.options?.[0]?.value ?? null;
    case 'multiple_choice':
      return item.options?.[0] ? [item.options[0].value] : null;
    case 'text':
      return `Checked: ${item.label.slice(0, 60)}`;
    case 'number':
      return item.min ?? 1;
    case 'date':
      return ANSWER_DATE;
    case 'rating':
      return item.max ?? 5;
    case 'photo':
      return null;
  }
}

/**
 * Waits until the runner shows each of the given entered answers: the pressed button of yes/no
 * and rating questions, the value of inputs, the checked option of choices.
 */
export async function waitForShownAnswers(
  page: Page,
  definition: TemplateDefinition,
  entered: EnteredAnswers,
  questionIds: readonly string[],
): Promise<void> {
  const types = new Map(
    definition.sections.flatMap((section) => section.questions).map((item) => [item.id, item.type]),
  );
  const expected = questionIds.flatMap((id) => {
    const value = entered.get(id);
    const type = types.get(id);
    return value === undefined || type === undefined || type === 'photo'
      ? []
      : [{ id, type, value }];
  });
  await page.waitForFunction(
    (answers) =>
      answers.every(({ id, type, value }) => {
        const card = document.querySelector(`[data-testid="question"][data-question-id="${id}"]`);
        if (!card) return false;
        if (type === 'yes_no_na' || type === 'rating') {
          const testId = type === 'rating' ? `rating-${String(value)}` : `answer-${String(value)}`;
          return (
            card.querySelector(`[data-testid="${testId}"]`)?.getAttribute('aria-pressed') === 'true'
          );
        }
        if (type === 'single_choice' || type === 'multiple_choice') {
          const options = Array.isArray(value) ? value : [value];
          return options.every(
            (option) =>
              card.querySelector<HTMLInputElement>(`[data-testid="choice-${String(option)}"]`)
                ?.checked,
          );
        }
        return (
          card.querySelector<HTMLInputElement>('[data-testid="answer-input"]')?.value ===
          String(value)
        );
      }),
    expected,
    { timeout: 15_000, polling: 100 },
  );
}
