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

/**
 * Rejects text containing the NUL character (U+0000) in a body, query or path with 400 naming
 * the field: PostgreSQL cannot store it in text, and no inspection answer needs it.
 */
export function installNulCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const field =
      findNul(request.body, 'body') ??
      findNul(request.query, 'querystring') ??
      findNul(request.params, 'params');
    if (field) {
      throw new AppError('VALIDATION_FAILED', {
        summary: `${field} must not contain the NUL character (U+0000)`,
        problems: [{ field, problem: 'must not contain the NUL character (U+0000)' }],
      });
    }
  });
}

function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNul(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  // Only parsed JSON is walked; upload routes hand their handlers a stream or a buffer.
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes('\u0000') ? `${path}.${key}` : findNul(item, `${path}.${key}`);
      if (found) return found;
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
