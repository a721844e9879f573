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
