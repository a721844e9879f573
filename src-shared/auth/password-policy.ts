/**
 * What a password must be, for every place that sets one (bootstrap, sign-up, reset) and for the
 * form that asks for it. Length is what counts (NIST SP 800-63B §5.1.1.2): no composition rules.
 * The upper bound only keeps a request from making the server hash megabytes.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/** Characters as people count them (code points, so an emoji is one). */
function lengthOf(password: string): number {
  return [...password].length;
}

/** Why the password cannot be used, or undefined if it can. */
export function passwordProblem(password: string): string | undefined {
  const length = lengthOf(password);
  if (length < PASSWORD_MIN_LENGTH) {
    return `must be at least ${PASSWORD_MIN_LENGTH} characters long (this one has ${length})`;
  }
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  return undefined;
}
