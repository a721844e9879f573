import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** An error answered with its status and `{ error, field? }`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: string;
  field?: string;
}

/** Fastify's own request errors, in words a client developer can act on. */
function fastifyError(error: FastifyError): { status: number; body: ErrorBody } | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { error: 'request body is too large' } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: 'send JSON with content-type: application/json' } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { error: 'the JSON body is empty' } };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, body: { error: 'content-length does not match the body' } };
    default:
      if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        return { status: 400, body: { error: `malformed JSON: ${error.message}` } };
      }
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return { status: error.statusCode, body: { error: error.message } };
      }
      return undefined;
  }
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof HttpError) {
    const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    const body: ErrorBody =
      error.field === undefined ? { error: error.message } : { error: error.message, field: error.field };
    return reply.status(error.status).send(body);
  }
  const known = fastifyError(error);
  if (known) {
    request.log.info({ code: error.code, status: known.status }, known.body.error);
    return reply.status(known.status).send(known.body);
  }
  request.log.error({ err: error }, 'request failed');
  return reply.status(500).send({ error: 'internal error' } satisfies ErrorBody);
}
