/** The part of a form this needs: tests pass a stub, the app its <form>. */
export interface ProblemRoot {
  querySelector(selectors: string): { focus(): void } | null;
}

/**
 * Focuses the first control marked invalid, which scrolls it into view. In a long form (a new
 * contact has thirty fields) the error under "First name" was out of sight while focus stayed on
 * the submit button at the bottom, so pressing Create seemed to do nothing.
 */
export function focusFirstProblem(root: ProblemRoot | null): boolean {
  const control = root?.querySelector('[aria-invalid="true"]');
  if (!control) return false;
  control.focus();
  return true;
}

/** The part of a form `unreadableInputs` reads: tests pass a list, the app its <form>. */
export interface InputsRoot {
  querySelectorAll(
    selectors: 'input',
  ): Iterable<{ readonly id: string; readonly validity: { readonly badInput: boolean } }>;
}

/**
 * Ids of the inputs holding what the browser could not read: a date typed as 31/02/2026, or half
 * typed, has the value "" like an empty input and fires no change, so the form would save no date
 * without a word.
 */
export function unreadableInputs(root: InputsRoot | null): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const input of root?.querySelectorAll('input') ?? []) if (input.validity.badInput) ids.add(input.id);
  return ids;
}
