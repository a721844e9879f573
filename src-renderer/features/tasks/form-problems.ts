import { ValidationError } from '../../../src-shared/schema/validation-error';
import { errorMessage } from '../../ui/toasts';

export interface FormProblems {
  /** Problem per field the form shows; `subjectType` is shown with `subjectId` (one picker). */
  byField: Record<string, string>;
  /** Anything the form has no input for, or a failure that is not about the input. */
  other?: string;
}

/** A failed save as messages the form puts next to its inputs. */
export function formProblems(error: unknown, shown: readonly string[], labels: Record<string, string>): FormProblems {
  if (!(error instanceof ValidationError)) return { byField: {}, other: errorMessage(error) };
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const { field, problem } of error.problems) {
    const target = field === 'subjectType' ? 'subjectId' : field;
    if (shown.includes(target)) byField[target] ??= `${labels[field] ?? labels[target] ?? field} ${problem}`;
    else other.push(`${labels[field] ?? field} ${problem}`);
  }
  return { byField, ...(other.length > 0 ? { other: other.join('; ') } : {}) };
}
