import { z } from 'zod';
import { DEVICE_ID_HEADER, DEVICE_REVOKED_FIELD } from '../../src-shared/auth/device';
import { ACCESS_TOKEN_PATTERN, REFRESH_TOKEN_PATTERN, serverUrlSchema } from '../../src-shared/auth/stored-session';
import type { SessionUser } from '../../src-shared/ipc/contract';

/**
 * The sync server's /auth routes (sync-server/src/auth/auth.routes.ts) as typed calls. Three ways
 * a call fails, because the session treats them differently: the input is wrong (nothing was
 * sent), the server refused (it answered 4xx and meant it), or the server could not be reached or
 * failed (try again later; the session stays as it was).
 */

/** Input the server would refuse anyway, caught before anything is sent. */
export class SignInInputError extends Error {
  override readonly name = 'SignInInputError';
  constructor(
    readonly field: 'serverUrl' | 'email' | 'password',
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

/** The server answered 4xx: wrong credentials, a revoked or reused refresh token, a disabled account. */
export class AuthRefusedError extends Error {
  override readonly name = 'AuthRefusedError';
  constructor(
    readonly status: number,
    /** The server's own message, e.g. "the email or password is wrong". */
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The server refused this device as revoked (403 naming x-device-id): the app wipes its local data. */
export function isDeviceRevoked(error: AuthRefusedError): boolean {
  return error.status === 403 && error.field === DEVICE_REVOKED_FIELD;
}

/** No answer (offline, DNS, connection refused), a 5xx, or an answer that is not the protocol's. */
export class AuthUnavailableError extends Error {
  override readonly name = 'AuthUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** What /auth/login and /auth/refresh answer. */
export interface ServerSession {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: SessionUser;
}

const serverSessionSchema: z.ZodType<ServerSession> = z.object({
  accessToken: z.string().regex(ACCESS_TOKEN_PATTERN),
  accessTokenExpiresAt: z.iso.datetime(),
  refreshToken: z.string().regex(REFRESH_TOKEN_PATTERN),
  refreshTokenExpiresAt: z.iso.datetime(),
  user: z.object({
    id: z.string().min(1),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    roleId: z.string().min(1),
  }),
});

const errorBodySchema = z.object({ error: z.string(), field: z.string().optional() });
/** Statuses the auth routes refuse with: malformed input, wrong credentials or token, disabled account. */
const REFUSALS = new Set([400, 401, 403]);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// The same rules as the server's login schema, so that a mistake is named before a round trip.
const signInSchema = z.object({
  serverUrl: serverUrlSchema,
  email: z
    .string({ error: 'must be text' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(254, { error: 'must be at most 254 characters' })
    .refine((value) => /^[^\s@]+@[^\s@]+$/.test(value), { error: 'must be an email address' }),
  password: z
    .string({ error: 'must be text' })
    .min(1, { error: 'must not be empty' })
    .max(1024, { error: 'must be at most 1024 characters' }),
});

export interface SignInInput {
  serverUrl: string;
  email: string;
  password: string;
}

/** The input, normalised (trimmed, no trailing slash); throws SignInInputError naming the first bad field. */
export function checkSignInInput(input: SignInInput): SignInInput {
  const parsed = signInSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path[0];
  if (field !== 'serverUrl' && field !== 'email' && field !== 'password') throw parsed.error;
  throw new SignInInputError(field, issue?.message ?? 'is invalid');
}

/**
 * `deviceId` (device-id.ts) makes the sign-in this device's: the server binds its tokens to it, so
 * that revoking the device stops them (sync-server auth/devices.ts).
 */
export interface AuthClient {
  login(serverUrl: string, email: string, password: string, deviceId?: string): Promise<ServerSession>;
  refresh(serverUrl: string, refreshToken: string, deviceId?: string): Promise<ServerSession>;
  logout(serverUrl: string, refreshToken: string): Promise<void>;
}

export function createAuthClient(doFetch: typeof fetch = (...args) => fetch(...args)): AuthClient {
  async function post(serverUrl: string, path: string, body: unknown, deviceId?: string): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(`${serverUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(deviceId ? { [DEVICE_ID_HEADER]: deviceId } : {}) },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new AuthUnavailableError(`${serverUrl} cannot be reached`, { cause: error });
    }
    const json = parseJson(await response.text().catch(() => ''));
    if (response.ok) return json;
    const refusal = errorBodySchema.safeParse(json);
    // Only the server's own refusals count: a proxy's 407, a 429 or an HTML error page in between
    // says nothing about the credentials, and must not end a sign-in.
    if (refusal.success && REFUSALS.has(response.status)) {
      throw new AuthRefusedError(response.status, refusal.data.error, refusal.data.field);
    }
    throw new AuthUnavailableError(
      `${path} answered ${response.status}${refusal.success ? `: ${refusal.data.error}` : ''}`,
    );
  }

  async function session(serverUrl: string, path: string, body: unknown, deviceId?: string): Promise<ServerSession> {
    const json = await post(serverUrl, path, body, deviceId);
    const parsed = serverSessionSchema.safeParse(json);
    if (!parsed.success) throw new AuthUnavailableError(`${path} answered something that is not a session`);
    return parsed.data;
  }

  return {
    login: (serverUrl, email, password, deviceId) => session(serverUrl, '/auth/login', { email, password }, deviceId),
    refresh: (serverUrl, refreshToken, deviceId) => session(serverUrl, '/auth/refresh', { refreshToken }, deviceId),
    async logout(serverUrl, refreshToken) {
      await post(serverUrl, '/auth/logout', { refreshToken });
    },
  };
}
