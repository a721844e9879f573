import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../../../src-shared/auth/password-policy';
import { HttpError } from '../http/errors';
import { DEFAULT_RATE_LIMITS, RateLimited, RateLimiter, type RateLimits } from '../http/rate-limit';
import { parseBody } from '../sync/routes';
import { type AuthServiceOptions, createAuthService, type Session } from './auth.service';
import type { Authenticate } from './authenticate';
import { deviceGate, requestDeviceId, userAgentOf } from './devices';
import { jwtAuthenticate } from './jwt-authenticate';
import { setPassword } from './set-password';
import { REFRESH_TOKEN_PATTERN } from './tokens';

/**
 * `POST /auth/login {email, password}` → a session (access token, refresh token, user), which
 *   belongs to the device `x-device-id` names, if any (403 if it was revoked);
 * `POST /auth/refresh {refreshToken}` → a new session for the same device, the token used revoked;
 * `POST /auth/logout {refreshToken}` → 204, the sign-in ended;
 * `POST /auth/password {newPassword, currentPassword?, userId?}` (bearer) → 204 (set-password.ts).
 * Malformed bodies get 400 naming the field; refused credentials 401 (403 for a disabled account).
 */

const email = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(254, { error: 'must be at most 254 characters' })
  .refine((value) => /^[^\s@]+@[^\s@]+$/.test(value), { error: 'must be an email address' });

const password = z
  .string({ error: 'must be text' })
  .min(1, { error: 'must not be empty' })
  .max(PASSWORD_MAX_LENGTH, { error: `must be at most ${PASSWORD_MAX_LENGTH} characters` });

const refreshToken = z
  .string({ error: 'must be text' })
  .regex(REFRESH_TOKEN_PATTERN, { error: 'is not a refresh token (fcrt_…, as /auth/login answered it)' });

const loginSchema = z.strictObject({ email, password });
const setPasswordSchema = z.strictObject({
  userId: z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' }).max(40).optional(),
  currentPassword: password.optional(),
  newPassword: z.string({ error: 'must be text' }),
});
const refreshSchema = z.strictObject({ refreshToken });

export interface AuthRoutesOptions extends AuthServiceOptions {
  /** Who is calling `POST /auth/password` (the app's bearer authentication). */
  authenticate?: Authenticate;
  /** Failed sign-ins allowed per account and per address (http/rate-limit.ts); the rest is ignored. */
  rateLimits?: Partial<RateLimits>;
}

/**
 * Largest body of an auth route (the app's default is 16 MB, for pushes): an email, a password and
 * a token fit many times over, and nobody may make the server parse megabytes before signing in.
 */
export const AUTH_BODY_LIMIT = 16 * 1024;
const LIMITED = { bodyLimit: AUTH_BODY_LIMIT };

/** One answer for every refusal of a throttled sign-in: it says nothing of whether the account exists. */
export const TOO_MANY_SIGN_INS = 'too many failed sign-ins';

/** Registers the auth routes on `app`; throws AuthConfigError at once if the secret is too short. */
export function authRoutes(app: FastifyInstance, options: AuthRoutesOptions): void {
  const service = createAuthService(options);

  const limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const clock = options.now ? () => (options.now as () => Date)().getTime() : Date.now;
  const windowMs = limits.loginWindowSeconds * 1000;
  const perAccount = new RateLimiter({ max: limits.loginPerAccount, windowMs }, clock);
  const perAddress = new RateLimiter({ max: limits.loginPerAddress, windowMs }, clock);

  app.post('/auth/login', LIMITED, async (request) => {
    const deviceId = requestDeviceId(request);
    const body = parseBody(loginSchema, request.body);
    // Failures are counted per account (guessing one password) and per address (trying many accounts);
    // once over, every attempt is refused before the password is checked, the right one too.
    const account = `account:${body.email.toLowerCase()}`;
    const address = `address:${request.ip}`;
    const wait = Math.max(perAddress.retryAfter(address), perAccount.retryAfter(account));
    if (wait > 0) throw new RateLimited(TOO_MANY_SIGN_INS, wait);
    // Counted before the password is checked, so that parallel guesses cannot all slip in under the limit.
    perAddress.hit(address);
    perAccount.hit(account);
    let session: Session;
    try {
      session = await service.login(body.email, body.password, { deviceId, userAgent: userAgentOf(request) });
    } catch (error) {
      // Only wrong credentials count; a disabled account (said only with the right password) does not.
      if (!(error instanceof HttpError && error.status === 401)) {
        perAddress.release(address);
        perAccount.release(account);
      }
      throw error;
    }
    // A success forgets the account's failures and does not count against the address.
    perAccount.reset(account);
    perAddress.release(address);
    request.log.info({ userId: session.user.id }, 'signed in');
    return session;
  });

  app.post('/auth/refresh', LIMITED, async (request) => {
    const deviceId = requestDeviceId(request);
    const body = parseBody(refreshSchema, request.body);
    return service.refresh(body.refreshToken, { deviceId, userAgent: userAgentOf(request) });
  });

  // Change one's own password (with the current one), or, as an administrator, set anyone's. Behind
  // the device gate as every other authenticated route (createApp): a revoked device's still-valid
  // access token must not set the password and lock its user out.
  const authenticate = deviceGate(
    options.authenticate ?? jwtAuthenticate(options.secret, options.now ? { now: options.now } : {}),
    { db: options.db, ...(options.now ? { now: options.now } : {}) },
  );
  app.post('/auth/password', LIMITED, async (request, reply) => {
    const principal = await authenticate(request);
    const body = parseBody(setPasswordSchema, request.body);
    await setPassword(
      options.db,
      principal,
      {
        newPassword: body.newPassword,
        ...(body.userId === undefined ? {} : { userId: body.userId }),
        ...(body.currentPassword === undefined ? {} : { currentPassword: body.currentPassword }),
      },
      { now: options.now ?? (() => new Date()) },
    );
    request.log.info({ userId: body.userId ?? principal.userId, by: principal.userId }, 'password set');
    return reply.status(204).send();
  });

  app.post('/auth/logout', LIMITED, async (request, reply) => {
    const body = parseBody(refreshSchema, request.body);
    await service.logout(body.refreshToken);
    return reply.status(204).send();
  });
}
