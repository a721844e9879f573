import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import {
  candidateById,
  candidatesByEmail,
  insertRefreshToken,
  refreshTokenForUpdate,
  replaceSuccessor,
  revokeFamily,
  revokeRefreshToken,
  revokeUnusedSuccessor,
  type SignInCandidate,
} from './credentials';
import { verifyNothing, verifyPassword } from './passwords';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  newRefreshToken,
  REFRESH_TOKEN_TTL_SECONDS,
  signAccessToken,
  signingKey,
} from './tokens';

/**
 * Sign-in, refresh and sign-out (DESIGN.md §6). A refresh token is used once: refreshing revokes it
 * and issues its successor in the same family (one family per sign-in). A revoked token presented
 * again means two parties hold it (a thief and the device, in some order), so the whole family is
 * revoked and both must sign in again (OAuth 2.0 Security BCP, RFC 9700 §4.14.2); except just after a
 * rotation whose successor nobody used: the answer was lost (REFRESH_REUSE_GRACE_SECONDS).
 */

export interface AuthServiceOptions {
  db: Database;
  /** JWT_SECRET: at least 32 bytes. */
  secret: string | Uint8Array;
  now?: () => Date;
  newId?: () => string;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** How long a rotated refresh token may be presented again while its successor is unused. */
  reuseGraceSeconds?: number;
}

/**
 * A field rep's network drops answers. If the answer to a refresh is lost, the device still holds
 * the token it sent, now rotated; presenting it again must not count as theft while the successor it
 * never received is unused. Within this window (after which reuse ends the sign-in, RFC 9700
 * §4.14.2) the unused successor is revoked and another one issued.
 */
export const REFRESH_REUSE_GRACE_SECONDS = 60;

/** What a signed-in client needs to know about its user before the first pull. */
export interface SessionUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  roleId: string;
}

export interface Session {
  tokenType: 'Bearer';
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: SessionUser;
}

/** One message for an unknown email and a wrong password, so that answers do not tell which emails exist. */
export const WRONG_CREDENTIALS = 'the email or password is wrong';
const REFRESH_REFUSED = {
  unknown: 'the refresh token is not valid: sign in again',
  expired: 'the refresh token has expired: sign in again',
  reused: 'the refresh token was already used or revoked; this sign-in has been ended everywhere: sign in again',
  inactive: 'the account can no longer sign in',
} as const;

type RefreshOutcome =
  | { refused: keyof typeof REFRESH_REFUSED }
  | { refused: undefined; user: SignInCandidate; token: string };

export interface AuthService {
  login(email: string, password: string): Promise<Session>;
  refresh(refreshToken: string): Promise<Session>;
  /** Ends the sign-in the token belongs to (every token of its family); unknown tokens are ignored. */
  logout(refreshToken: string): Promise<void>;
}

export function createAuthService(options: AuthServiceOptions): AuthService {
  const { db } = options;
  const key = signingKey(options.secret);
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => `rt_${randomUUID().replaceAll('-', '')}`);
  const accessTtl = options.accessTokenTtlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
  const refreshTtl = options.refreshTokenTtlSeconds ?? REFRESH_TOKEN_TTL_SECONDS;
  const reuseGrace = options.reuseGraceSeconds ?? REFRESH_REUSE_GRACE_SECONDS;

  const expiry = (at: Date) => new Date(at.getTime() + refreshTtl * 1000);

  /** The session answered: a new access token, and the refresh token already stored. */
  async function session(user: SignInCandidate, refreshToken: string, at: Date): Promise<Session> {
    const access = await signAccessToken(key, { userId: user.id, roleId: user.roleId }, at, accessTtl);
    return {
      tokenType: 'Bearer',
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken,
      refreshTokenExpiresAt: expiry(at).toISOString(),
      user: { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName, roleId: user.roleId },
    };
  }

  return {
    async login(email, password) {
      const candidates = await candidatesByEmail(db, email);
      const user = candidates.length === 1 ? candidates[0] : undefined;
      // Two live users sharing an email is a data error; signing in as either would be a guess.
      const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyNothing(password);
      if (!user || !ok) throw new HttpError(401, WRONG_CREDENTIALS);
      // Said only to whoever knows the password.
      if (user.status !== 'active') throw new HttpError(403, `the account is ${user.status}: ask an administrator`);
      const at = now();
      const token = newRefreshToken();
      const id = newId();
      await insertRefreshToken(db, { id, userId: user.id, familyId: id, token, expiresAt: expiry(at) }, at);
      return session(user, token, at);
    },

    async refresh(refreshToken) {
      const at = now();
      const outcome = await db.transaction(async (tx): Promise<RefreshOutcome> => {
        const stored = await refreshTokenForUpdate(tx, refreshToken, at, reuseGrace);
        if (!stored) return { refused: 'unknown' };
        // A rotated token presented again within the grace, its successor unused: the answer was lost.
        const retry =
          stored.revoked &&
          stored.recentSuccessorId !== null &&
          (await revokeUnusedSuccessor(tx, stored.recentSuccessorId, at));
        if (stored.revoked && !retry) {
          await revokeFamily(tx, stored.familyId, at);
          return { refused: 'reused' };
        }
        if (stored.expired) return { refused: 'expired' };
        const user = await candidateById(tx, stored.userId);
        if (user?.status !== 'active') {
          await revokeFamily(tx, stored.familyId, at);
          return { refused: 'inactive' };
        }
        const token = newRefreshToken();
        const id = newId();
        if (retry) await replaceSuccessor(tx, stored.id, id);
        else await revokeRefreshToken(tx, stored.id, at, id);
        await insertRefreshToken(
          tx,
          { id, userId: user.id, familyId: stored.familyId, token, expiresAt: expiry(at) },
          at,
        );
        return { refused: undefined, user, token };
      });
      // Refusals commit first: a reused token's family stays revoked even though the request fails.
      if (outcome.refused !== undefined) throw new HttpError(401, REFRESH_REFUSED[outcome.refused], 'refreshToken');
      return session(outcome.user, outcome.token, at);
    },

    async logout(refreshToken) {
      const at = now();
      await db.transaction(async (tx) => {
        const stored = await refreshTokenForUpdate(tx, refreshToken, at);
        if (stored) await revokeFamily(tx, stored.familyId, at);
      });
    },
  };
}
