import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { AppError } from '../platform/errors/error-catalogue.ts';

// ajv-formats is CommonJS with `exports.default`; under ESM the function sits one level deeper.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;

/**
 * Installs two validators: bodies are checked strictly (a number sent for a text field is an
 * error, not a string), while path and query parameters, which arrive as text, are coerced.
 */
export function installValidators(app: FastifyInstance): void {
  const strict = createAjv(false);
  const coercing = createAjv('array');

  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing;
    return ajv.compile(schema as object);
  });
}

/** Deepest nesting of arrays and objects a request may carry; real bodies stay under 10. */
const MAX_NESTING = 64;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Rejects, with 400 naming the field, text that PostgreSQL cannot store: the NUL character
 * (U+0000) and lone UTF-16 surrogates, which are not Unicode text. Bodies nested deeper than
 * MAX_NESTING levels are rejected too, before any recursive code walks them.
 */
export function installNulCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const problem =
      findBadText(request.body, 'body') ??
      findBadText(request.query, 'querystring') ??
      findBadText(request.params, 'params');
    if (problem) {
      throw new AppError('VALIDATION_FAILED', {
        summary: `${problem.field} ${problem.problem}`,
        problems: [problem],
      });
    }
  });
}

function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) {
    return 'must be valid Unicode text: it contains a lone UTF-16 surrogate';
  }
  return undefined;
}

function findBadText(root: unknown, rootPath: string): FieldProblem | undefined {
  // An explicit stack, so a hostile nesting depth cannot overflow the call stack.
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: rootPath, depth: 0 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return { field: path, problem };
      continue;
    }

    // Only parsed JSON is walked; upload routes hand their handlers a stream or a buffer.
    const isArray = Array.isArray(value);
    if (!isArray && !isPlainObject(value)) continue;
    if (depth >= MAX_NESTING) {
      return { field: path, problem: `is nested deeper than ${MAX_NESTING} levels` };
    }

    const entries = isArray
      ? value.map((item, index) => [`${path}[${index}]`, item] as const)
      : Object.entries(value).map(([key, item]) => [`${path}.${key}`, item] as const);
    for (const [childPath, item] of entries.reverse()) {
      const keyProblem = isArray ? undefined : textProblem(childPath.slice(path.length + 1));
      if (keyProblem) return { field: childPath, problem: keyProblem };
      stack.push({ value: item, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return false;

  return typeof (value as { pipe?: unknown }).pipe !== 'function';
}

function createAjv(coerceTypes: false | 'array'): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

/** One problem of a request, named by where it sits: `body.answers[3].value`. */
export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

export function describeValidationErrors(
  errors:
    | readonly ErrorObject[]
    | readonly {
        instancePath: string;
        message?: string;
        keyword: string;
        params: Record<string, unknown>;
      }[],
  part: string,
): readonly FieldProblem[] {
  const problems = errors.map((error) => ({
    field: fieldName(part, error.instancePath, error.params),
    problem: problemText(error.keyword, error.message, error.params),
  }));
  // A value that fails every branch of a union yields one error per branch; one per text is enough.
  const unique = new Map<string, FieldProblem>();
  for (const problem of problems) unique.set(`${problem.field} ${problem.problem}`, problem);
  return [...unique.values()];
}

function fieldName(part: string, instancePath: string, params: Record<string, unknown>): string {
  const path = instancePath
    .split('/')
    .filter(Boolean)
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join('');
  const missing = typeof params.missingProperty === 'string' ? `.${params.missingProperty}` : '';
  const extra =
    typeof params.additionalProperty === 'string' ? `.${params.additionalProperty}` : '';
  return `${part}${path}${missing}${extra}`;
}

function problemText(
  keyword: string,
  message: string | undefined,
  params: Record<string, unknown>,
): string {
  if (keyword === 'required') return 'is required';
  if (keyword === 'additionalProperties') return 'is not an accepted field';
  if (keyword === 'type') return `must be of type ${String(params.type)}`;
  if (keyword === 'enum') return `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
  return message ?? keyword;
}

export type { FastifySchema };
