import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors';

/** Who is making a request. */
export interface Principal {
  userId: string;
  /**
   * Reach every record without a role: only `headerAuthenticate`, the development and test seam,
   * says so. Signed-in users always get their role's scope (auth/access.ts).
   */
  unrestricted?: boolean;
  /**
   * The device the caller's sign-in was made on (a bearer token's `dev`): the device gate checks
   * this one, so leaving out or changing `x-device-id` does not get past a revocation.
   */
  deviceId?: string;
  /** When the credential the caller proved themselves with expires (a bearer token's `exp`). */
  expiresAt?: Date;
}

/** The seam the auth issue replaces: every route asks it who the caller is. */
export type Authenticate = (request: FastifyRequest) => Principal | Promise<Principal>;

const USER_ID = /^[A-Za-z0-9_.:@-]{1,40}$/;

/**
 * Until login lands: the caller says who they are in `x-user-id` (default `anonymous`). Trusted as
 * given and unrestricted by any role, which is why `npm run server` never uses it. The id ends up in audit entries, so
 * it must be a valid user reference (at most 40 characters).
 */
export const headerAuthenticate: Authenticate = (request) => {
  const header = request.headers['x-user-id'];
  if (header === undefined) return { userId: 'anonymous', unrestricted: true };
  if (typeof header !== 'string' || !USER_ID.test(header)) {
    throw new HttpError(400, 'x-user-id must be 1 to 40 letters, digits or _.:@-', 'x-user-id');
  }
  return { userId: header, unrestricted: true };
};
