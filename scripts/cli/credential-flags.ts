import { passwordProblem } from '../../src-shared/auth/password-policy';
import { type ParsedArgs, UsageError } from './cli-error';

/**
 * `--email` and `--password` of the commands that set a password, both required, the password
 * checked against the policy before any database is opened (creating an embedded one takes seconds).
 */
export function credentialFlags({ positional, flags }: ParsedArgs): { email: string; password: string } {
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const email = flags.get('email');
  const password = flags.get('password');
  if (email === undefined) throw new UsageError('--email is required');
  if (password === undefined) throw new UsageError('--password is required');
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(`--password ${problem}`);
  return { email, password };
}
