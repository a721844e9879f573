import { AuthRefusedError, AuthUnavailableError, SignInInputError } from '../../sync/auth-client';

export type SignInField = 'serverUrl' | 'email' | 'password';

export interface SignInProblem {
  /** The field to mark; undefined for the form as a whole. */
  field?: SignInField;
  message: string;
}

const FIELD_LABEL: Record<SignInField, string> = { serverUrl: 'Server address', email: 'Email', password: 'Password' };

/** The auth client's three kinds of failure, in words for the form. */
export function signInProblem(error: unknown, serverUrl: string): SignInProblem {
  if (error instanceof SignInInputError) {
    return { field: error.field, message: `${FIELD_LABEL[error.field]} ${error.problem}` };
  }
  if (error instanceof AuthRefusedError) {
    // The server names no field for wrong credentials (it does not say which); the password is the usual culprit.
    const field =
      error.field === 'email' || error.field === 'password'
        ? error.field
        : error.status === 401
          ? 'password'
          : undefined;
    const message =
      error.status === 401 ? 'Wrong email or password.' : error.message.replace(/^./, (c) => c.toUpperCase());
    return { ...(field ? { field } : {}), message };
  }
  if (error instanceof AuthUnavailableError) {
    return {
      field: 'serverUrl',
      message: /cannot be reached/.test(error.message)
        ? `The server at ${serverUrl} cannot be reached. Check the address and your connection.`
        : `The server at ${serverUrl} did not answer as a FieldCRM sync server (${error.message}).`,
    };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}
