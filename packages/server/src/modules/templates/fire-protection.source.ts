import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** One question of the source checklist, as the CommonJS file writes it. */
export interface SourceQuestion {
  readonly text: string;
  readonly name: string;
  readonly type: string;
  readonly options: readonly string[];
}

/** One section of the source checklist with its questions in reading order. */
export interface SourceSection {
  readonly name: string;
  readonly questions: readonly SourceQuestion[];
}

const SOURCE_URL = new URL(
  '../../../fixtures/forms/fire-protection-inspection.cjs',
  import.meta.url,
);

/**
 * Extra question lists that the source nests in a section next to `questions`. The fire pump
 * section keeps its flow test, running test and maintenance checklist there. They are part of
 * the inspection, so they follow the section's own questions in this order.
 */
const NESTED_QUESTION_LISTS = [
  'pump_flowTestQuestions',
  'pump_whilePumpIsRunningQuestions',
  'pump_checkListQuestions',
] as const;

/** Reads the fire-protection checklist that ships in `fixtures/forms` and checks its shape. */
export function readFireProtectionSource(): readonly SourceSection[] {
  const load = createRequire(import.meta.url);
  const raw: unknown = load(fileURLToPath(SOURCE_URL));
  if (!Array.isArray(raw)) {
    throw new Error(`Fire-protection form invalid: ${SOURCE_URL.pathname} must export an array`);
  }

  return raw.map((section: unknown, index) => parseSection(section, `[${index}]`));
}

function parseSection(raw: unknown, path: string): SourceSection {
  if (!isRecord(raw) || typeof raw['name'] !== 'string') {
    throw new Error(`Fire-protection form invalid: section ${path} has no name`);
  }

  const lists = ['questions', ...NESTED_QUESTION_LISTS].filter((key) => key in raw);
  const questions = lists.flatMap((key) => {
    const list = raw[key];
    if (!Array.isArray(list)) {
      throw new Error(`Fire-protection form invalid: ${path}.${key} must be an array`);
    }

    return list.map((question: unknown, index) =>
      parseQuestion(question, `${path}.${key}[${index}]`),
    );
  });

  return { name: raw['name'], questions };
}

function parseQuestion(raw: unknown, path: string): SourceQuestion {
  const { text, name, type, options } = isRecord(raw) ? raw : {};
  const valid =
    typeof text === 'string' &&
    typeof name === 'string' &&
    typeof type === 'string' &&
    isStringList(options);
  if (!valid) {
    throw new Error(
      `Fire-protection form invalid: question ${path} needs text, name, type, options`,
    );
  }

  return { text, name, type, options };
}

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
