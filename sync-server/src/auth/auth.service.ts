import { randomUUID } from 'node:crypto';
import { DEVICE_ID_HEADER } from '../../../src-shared/auth/device';
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
import { deviceRevocation, deviceRevokedError, noteDeviceSeen } from './devices';
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
  | { refused: 'device'; reason: string | null }
  | { refused: 'otherDevice' }
  | { refused: undefined; user: SignInCandidate; token: string; deviceId: string | undefined };

/** Where a request comes from, as far as a sign-in cares. */
export interface SignInDevice {
  /** `x-device-id`: the sign-in belongs to this device; none for scripts. */
  deviceId?: string | undefined;
  userAgent?: string | null;
}

export interface AuthService {
  /** A sign-in made on `device` belongs to it (its tokens name it); a revoked device is refused. */
  login(email: string, password: string, device?: SignInDevice): Promise<Session>;
  /**
   * New tokens for the same device as the sign-in's, refused if that device was revoked or if
   * `device` names another one; a token from before devices were kept takes `device`'s.
   */
  refresh(refreshToken: string, device?: SignInDevice): Promise<Session>;
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
  async function session(
    user: SignInCandidate,
    refreshToken: string,
    at: Date,
    deviceId: string | undefined,
  ): Promise<Session> {
    const claims = { userId: user.id, roleId: user.roleId, ...(deviceId ? { deviceId } : {}) };
    const access = await signAccessToken(key, claims, at, accessTtl);
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
    async login(email, password, device = {}) {
      const candidates = await candidatesByEmail(db, email);
      const user = candidates.length === 1 ? candidates[0] : undefined;
      // Two live users sharing an email is a data error; signing in as either would be a guess.
      const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyNothing(password);
      if (!user || !ok) throw new HttpError(401, WRONG_CREDENTIALS);
      // Said only to whoever knows the password.
      if (user.status !== 'active') throw new HttpError(403, `the account is ${user.status}: ask an administrator`);
      const at = now();
      const { deviceId } = device;
      if (deviceId !== undefined) {
        // Said only to whoever knows the password; the app then wipes itself and signs in as a new device.
        const revoked = await deviceRevocation(db, user.id, deviceId);
        if (revoked) throw deviceRevokedError(revoked.reason);
        await noteDeviceSeen(db, user.id, deviceId, at, device.userAgent ?? null);
      }
      const token = newRefreshToken();
      const id = newId();
      await insertRefreshToken(db, { id, userId: user.id, familyId: id, token, expiresAt: expiry(at), deviceId }, at);
      return session(user, token, at, deviceId);
    },

    async refresh(refreshToken, device = {}) {
      const at = now();
      const outcome = await db.transaction(async (tx): Promise<RefreshOutcome> => {
        const stored = await refreshTokenForUpdate(tx, refreshToken, at, reuseGrace);
        if (!stored) return { refused: 'unknown' };
        // First: a revoked device's token is told so (the app wipes itself), even once its family is revoked.
        const deviceId = stored.deviceId ?? device.deviceId;
        if (deviceId !== undefined) {
          const revoked = await deviceRevocation(tx, stored.userId, deviceId);
          if (revoked) {
            await revokeFamily(tx, stored.familyId, at);
            return { refused: 'device', reason: revoked.reason };
          }
        }
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
        if (stored.deviceId !== null && device.deviceId !== undefined && device.deviceId !== stored.deviceId) {
          return { refused: 'otherDevice' };
        }
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
          { id, userId: user.id, familyId: stored.familyId, token, expiresAt: expiry(at), deviceId },
          at,
        );
        return { refused: undefined, user, token, deviceId };
      });
      // Refusals commit first: a reused token's family stays revoked even though the request fails.
      if (outcome.refused === 'device') throw deviceRevokedError(outcome.reason);
      if (outcome.refused === 'otherDevice') {
        throw new HttpError(
          400,
          `${DEVICE_ID_HEADER} names another device than the one this sign-in was made on: sign in on this one`,
          DEVICE_ID_HEADER,
        );
      }
      if (outcome.refused !== undefined) throw new HttpError(401, REFRESH_REFUSED[outcome.refused], 'refreshToken');
      return session(outcome.user, outcome.token, at, outcome.deviceId);
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
