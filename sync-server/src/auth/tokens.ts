import { createHash, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * Access tokens: JWTs signed with HS256 under the server's secret (JWT_SECRET), short-lived so that
 * a stolen one is worth little and a disabled user is out within minutes without a revocation list.
 * Claims: `sub` the user id, `role` the role id, `dev` the device the sign-in was made on (none for
 * scripts), `iss`/`aud` so that no other token of ours (or another service's sharing the secret)
 * passes for one.
 * Refresh tokens: opaque random strings; the server keeps only their SHA-256 (a token has 256 bits
 * of entropy, so a fast hash is enough, unlike a password).
 */

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
const ISSUER = 'fieldcrm-sync';
const AUDIENCE = 'fieldcrm';
/** HS256 wants a key at least as long as its output (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;

/** A setting the auth module cannot work with, named by its variable. */
export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable} ${reason}`);
  }
}

/** The signing key from the configured secret; throws AuthConfigError naming JWT_SECRET when it is too short. */
export function signingKey(secret: string | Uint8Array): Uint8Array {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (key.byteLength < MIN_SECRET_BYTES) {
    throw new AuthConfigError(
      'JWT_SECRET',
      `must be at least ${MIN_SECRET_BYTES} bytes of random text (e.g. \`openssl rand -base64 48\`), not ${key.byteLength}`,
    );
  }
  return key;
}

export interface AccessClaims {
  userId: string;
  roleId: string;
  /** The device the sign-in was made on (`dev`): the device gate checks it, whatever the request's header says. */
  deviceId?: string;
  /** When the token stops being accepted (its `exp`); set on verified tokens. */
  expiresAt?: Date;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export async function signAccessToken(
  key: Uint8Array,
  claims: AccessClaims,
  now: Date,
  ttlSeconds = ACCESS_TOKEN_TTL_SECONDS,
): Promise<IssuedAccessToken> {
  const issuedAt = seconds(now);
  const token = await new SignJWT(
    claims.deviceId ? { role: claims.roleId, dev: claims.deviceId } : { role: claims.roleId },
  )
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(key);
  return { token, expiresAt: new Date((issuedAt + ttlSeconds) * 1000) };
}

/** Why an access token was refused. */
export class AccessTokenError extends Error {
  override readonly name = 'AccessTokenError';
  constructor(readonly reason: 'expired' | 'invalid') {
    super(reason === 'expired' ? 'the access token has expired' : 'the access token is not valid');
  }
}

/** The claims of a token this server signed and that is still valid at `now`; throws AccessTokenError. */
export async function verifyAccessToken(key: Uint8Array, token: string, now: Date): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat'],
      currentDate: now,
    });
    const { role, dev } = payload;
    if (typeof payload.sub !== 'string' || payload.sub === '' || typeof role !== 'string' || role === '') {
      throw new AccessTokenError('invalid');
    }
    if (dev !== undefined && (typeof dev !== 'string' || dev === '')) throw new AccessTokenError('invalid');
    return {
      userId: payload.sub,
      roleId: role,
      ...(dev ? { deviceId: dev } : {}),
      ...(payload.exp ? { expiresAt: new Date(payload.exp * 1000) } : {}),
    };
  } catch (error) {
    if (error instanceof AccessTokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new AccessTokenError('expired');
    if (error instanceof errors.JOSEError) throw new AccessTokenError('invalid');
    throw error;
  }
}

const REFRESH_PREFIX = 'fcrt_';
/** `fcrt_` and 32 random bytes in base64url; the prefix lets secret scanners recognise a leaked one. */
export const REFRESH_TOKEN_PATTERN = /^fcrt_[A-Za-z0-9_-]{43}$/;

export function newRefreshToken(): string {
  return `${REFRESH_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What the database stores of a refresh token: its SHA-256, hex. */
export function refreshTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
