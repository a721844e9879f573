import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors';

/** Who is making a request. */
export interface Principal {
  userId: string;
}

/** The seam the auth issue replaces: every route asks it who the caller is. */
export type Authenticate = (request: FastifyRequest) => Principal | Promise<Principal>;

const USER_ID = /^[A-Za-z0-9_.:@-]{1,40}$/;

/**
 * Until login lands: the caller says who they are in `x-user-id` (default `anonymous`). Trusted as
 * given, which is why the server binds to 127.0.0.1 by default. The id ends up in audit entries, so
 * it must be a valid user reference (at most 40 characters).
 */
export const headerAuthenticate: Authenticate = (request) => {
  const header = request.headers['x-user-id'];
  if (header === undefined) return { userId: 'anonymous' };
  if (typeof header !== 'string' || !USER_ID.test(header)) {
    throw new HttpError(400, 'x-user-id must be 1 to 40 letters, digits or _.:@-', 'x-user-id');
  }
  return { userId: header };
};
