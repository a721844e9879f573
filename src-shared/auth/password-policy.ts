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
  if (isCommon(password)) return 'is too common: it is among the first an attacker tries; choose another';
  return undefined;
}

/**
 * Passwords of 12 characters or more that lead breach lists (NIST SP 800-63B §5.1.1.2 asks for a
 * check against such a list), compared case-insensitively. Short ones need no entry: length refuses them.
 */
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  '111111111111',
  '000000000000',
  'qwertyuiop12',
  'qwertyuiop123',
  'qwertyuiopasdfghjkl',
  'qwertyuiopasdfghjklzxcvbnm',
  '1qaz2wsx3edc',
  '1q2w3e4r5t6y',
  'q1w2e3r4t5y6',
  'zaq12wsxcde3',
  'password1234',
  'password12345',
  'password123456',
  'passwordpassword',
  'password@123',
  'password!123',
  'iloveyou1234',
  'letmein12345',
  'welcome12345',
  'welcome@1234',
  'administrator',
  'admin1234567',
  'changeme1234',
  'abcdefghijkl',
  'abc123456789',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'princess1234',
  'trustno11234',
  'monkey123456',
  'dragon123456',
  'starwars1234',
  'superman1234',
]);

const DIGIT_RUN = '01234567890123456789';
const REVERSED_DIGITS = '98765432109876543210';

/** On the list, one chunk repeated (`abcabcabcabc`), or a run of digits (`234567890123`). */
function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return true;
  if (/^(.{1,8})\1+$/u.test(lower)) return true;
  return (
    /^\d+$/.test(lower) && (DIGIT_RUN.includes(lower.slice(0, 20)) || REVERSED_DIGITS.includes(lower.slice(0, 20)))
  );
}
