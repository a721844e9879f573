import { describe, expect, it } from 'vitest';
import { signInProblem } from '../../../../../src-renderer/features/sync/sign-in';
import {
  AuthRefusedError,
  AuthUnavailableError,
  checkSignInInput,
  createAuthClient,
  SignInInputError,
} from '../../../../../src-renderer/sync/auth-client';

const URL_ = 'https://crm.example.com';

function inputError(input: { serverUrl: string; email: string; password: string }): unknown {
  try {
    checkSignInInput(input);
  } catch (error) {
    return error;
  }
  throw new Error('expected the input to be refused');
}

describe('sign-in problems as the form shows them', () => {
  it('names the field of bad input', () => {
    const bad = inputError({ serverUrl: 'not a url', email: 'a@b.c', password: 'x' });
    expect(bad).toBeInstanceOf(SignInInputError);
    expect(signInProblem(bad, 'not a url')).toMatchObject({
      field: 'serverUrl',
      message: expect.stringMatching(/^Server address /),
    });
    const email = inputError({ serverUrl: URL_, email: 'nope', password: 'x' });
    expect(signInProblem(email, URL_)).toEqual({ field: 'email', message: 'Email must be an email address' });
  });

  it('says "wrong email or password" for a 401 and marks the password', () => {
    expect(signInProblem(new AuthRefusedError(401, 'the email or password is wrong'), URL_)).toEqual({
      field: 'password',
      message: 'Wrong email or password.',
    });
    expect(signInProblem(new AuthRefusedError(403, 'this account is disabled'), URL_)).toEqual({
      message: 'This account is disabled',
    });
  });

  it('tells an unreachable server from one that is not a sync server', async () => {
    const unreachable = await createAuthClient(async () => {
      throw new TypeError('fetch failed');
    })
      .login(URL_, 'a@b.c', 'x')
      .catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(AuthUnavailableError);
    expect(signInProblem(unreachable, URL_)).toEqual({
      field: 'serverUrl',
      message: `The server at ${URL_} cannot be reached. Check the address and your connection.`,
    });
    const html = await createAuthClient(async () => new Response('<html>', { status: 404 }))
      .login(URL_, 'a@b.c', 'x')
      .catch((e: unknown) => e);
    expect(signInProblem(html, URL_).message).toMatch(/did not answer as a FieldCRM sync server/);
  });
});
