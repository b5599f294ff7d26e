import { AppError } from '../../platform/errors/error-catalogue.ts';

/** Builds a 400 that names the request field at fault, shaped like schema validation errors. */
export function fieldInvalid(field: string, problem: string): AppError {
  return new AppError('VALIDATION_FAILED', {
    summary: `${field} ${problem}`,
    problems: [{ field, problem }],
  });
}
