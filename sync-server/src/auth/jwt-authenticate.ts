import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors';
import type { Authenticate, Principal } from './authenticate';
import { AccessTokenError, signingKey, verifyAccessToken } from './tokens';

/** A caller proven by an access token: their user id and the role the token was issued for. */
export interface TokenPrincipal extends Principal {
  roleId: string;
}

export interface JwtAuthenticateOptions {
  /** The time tokens are checked against (tests stub it). */
  now?: () => Date;
}

const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+) *$/i;

function tokenOf(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (header === undefined || header === '') {
    throw new HttpError(401, 'sign in first: send Authorization: Bearer <access token>', 'authorization');
  }
  const match = BEARER.exec(header);
  if (!match?.[1]) throw new HttpError(401, 'Authorization must be "Bearer <access token>"', 'authorization');
  return match[1];
}

/**
 * The `Authenticate` of signed-in users: `Authorization: Bearer <access token>` from `POST /auth/login`
 * or `/auth/refresh`, else 401. An expired token is told apart so that the client refreshes rather
 * than asking the user to sign in again. Throws AuthConfigError at once if the secret is too short.
 */
export function jwtAuthenticate(secret: string | Uint8Array, options: JwtAuthenticateOptions = {}): Authenticate {
  const key = signingKey(secret);
  const now = options.now ?? (() => new Date());
  return async (request): Promise<TokenPrincipal> => {
    const token = tokenOf(request);
    try {
      return await verifyAccessToken(key, token, now());
    } catch (error) {
      if (!(error instanceof AccessTokenError)) throw error;
      const message =
        error.reason === 'expired'
          ? 'the access token has expired: refresh it with POST /auth/refresh'
          : 'the access token is not valid: sign in again';
      throw new HttpError(401, message, 'authorization');
    }
  };
}
