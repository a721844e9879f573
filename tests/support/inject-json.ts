import type { FastifyInstance } from 'fastify';

/** A JSON answer of the server, with the fields its errors carry. */
export type Body = Record<string, unknown> & { error?: string; field?: string };
export interface Answer {
  status: number;
  body: Body;
}

/** One request through fastify's inject, with a JSON body when there is a payload. */
export async function injectJson(
  app: FastifyInstance,
  method: string,
  path: string,
  headers: Record<string, string>,
  payload?: unknown,
): Promise<Answer> {
  const response = await app.inject({
    method: method as 'GET',
    url: path,
    headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
  return { status: response.statusCode, body: response.json() as Body };
}

/** The test servers' header sign-in (scopedHeaderAuthenticate). */
export const asUser = (id: string) => ({ 'x-user-id': id });
/** A public API key as the bearer token. */
export const withKey = (secret: string) => ({ authorization: `Bearer ${secret}` });
