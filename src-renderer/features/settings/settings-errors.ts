import { ValidationError } from '../../../src-shared/schema/validation-error';

/** A refused settings write: one field and why, in the shape the forms show next to the field. */
export function refuse(entity: string, field: string, problem: string): never {
  throw new ValidationError(entity, [{ field, problem }]);
}

export type Values = Record<string, unknown>;

/** Trimmed text; undefined when empty. */
export function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
