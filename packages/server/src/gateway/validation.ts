import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';

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
  return errors.map((error) => ({
    field: fieldName(part, error.instancePath, error.params),
    problem: problemText(error.keyword, error.message, error.params),
  }));
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
  return message ?? keyword;
}

export type { FastifySchema };
