import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { can } from '../../../src-shared/auth/permissions';
import { communicationAttachmentEntity } from '../../../src-shared/entities/content.entity';
import { type Access, loadAccess, readScope } from '../auth/access';
import type { Authenticate } from '../auth/authenticate';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import { scopeSql } from '../sync/scope-sql';

/**
 * The bytes of attached files, by SHA-256 (DESIGN.md: attachments replicate as metadata records;
 * their bytes travel here). A device uploads a file once it has it locally (PUT) and fetches one
 * it lacks when a user opens it (GET). Content-addressed: the server checks the bytes hash to the
 * name, so an upload can never replace a file with other bytes, and the same file is kept once.
 *
 * Who may read a file follows the records: a GET is answered only when the caller may read at
 * least one live attachment record naming the hash, in the same scope a pull would serve it (an
 * attachment's scope is its parent communication's). Knowing a hash grants nothing by itself.
 */

/** Largest file: the renderer refuses bigger ones before they are stored (src-renderer/files). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

const SHA256 = /^[0-9a-f]{64}$/;

function hashOf(params: unknown): string {
  const raw = String((params as { sha256?: unknown }).sha256 ?? '');
  if (!SHA256.test(raw)) {
    throw new HttpError(400, `"${raw.slice(0, 80)}" is not a SHA-256: 64 lowercase hexadecimal digits`, 'sha256');
  }
  return raw;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** A too-large upload is refused from its content-length, before its bytes are read. */
function refuseOversized(request: FastifyRequest): void {
  const length = Number(request.headers['content-length'] ?? 0);
  if (length > MAX_FILE_BYTES) {
    throw new HttpError(
      413,
      `the file is ${length.toLocaleString('en')} bytes; files can be at most ${megabytes(MAX_FILE_BYTES)} (${MAX_FILE_BYTES.toLocaleString('en')} bytes)`,
      'content-length',
    );
  }
}

/** A live attachment record the caller may read that names the hash; its MIME type, or undefined. */
async function readableAttachment(db: Database, access: Access, sha256: string): Promise<string | undefined> {
  const scope = readScope(access, communicationAttachmentEntity);
  // `$2` is whose records the scope covers: the caller ('own'), or the caller and their team ('team').
  const condition = scopeSql(communicationAttachmentEntity, 'a', scope, { own: '$2::text', team: '$2::text[]' });
  const params: unknown[] = [sha256];
  if (scope === 'own') params.push(access.userId);
  if (scope === 'team')
    params.push(access.kind === 'user' ? [access.userId, ...access.actor.teamUserIds] : [access.userId]);
  const { rows } = await db.query<{ mime_type: string }>(
    `SELECT a.mime_type FROM communication_attachments AS a
      WHERE a.sha256 = $1 AND NOT a.is_deleted AND NOT a.sync_removed AND (${condition ?? 'true'})
      LIMIT 1`,
    params,
  );
  return rows[0]?.mime_type;
}

export interface FileRoutesOptions {
  db: Database;
  authenticate: Authenticate;
}

/** PUT and GET /files/:sha256, in a scope of their own that reads any body as raw bytes. */
export async function fileRoutes(app: FastifyInstance, { db, authenticate }: FileRoutesOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  app.put(
    '/files/:sha256',
    { bodyLimit: MAX_FILE_BYTES, onRequest: async (request) => refuseOversized(request) },
    async (request, reply) => {
      const principal = await authenticate(request);
      const sha256 = hashOf(request.params);
      const access = await loadAccess(db, principal);
      if (access.kind === 'user' && can(access.permissions, communicationAttachmentEntity.name, 'create') === 'none') {
        throw new HttpError(403, 'your role may not attach files');
      }
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const actual = createHash('sha256').update(body).digest('hex');
      if (actual !== sha256) {
        throw new HttpError(400, `the body's SHA-256 is ${actual}, not the ${sha256} the URL names`, 'sha256');
      }
      const { rows } = await db.query<{ sha256: string }>(
        `INSERT INTO file_blobs (sha256, bytes, size_bytes, uploaded_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sha256) DO NOTHING RETURNING sha256`,
        [sha256, body, body.length, principal.userId],
      );
      request.log.info({ sha256, bytes: body.length, stored: rows.length > 0 }, 'file upload');
      // 201 whether or not the bytes were there: a different answer would tell anyone holding a
      // file whether someone, of any team, uploaded it before.
      return reply.status(201).send({ sha256, sizeBytes: body.length });
    },
  );

  app.get('/files/:sha256', async (request, reply) => {
    const principal = await authenticate(request);
    const sha256 = hashOf(request.params);
    const access = await loadAccess(db, principal);
    const mimeType = await readableAttachment(db, access, sha256);
    if (mimeType === undefined) {
      throw new HttpError(404, `no attachment you may read refers to file ${sha256}`, 'sha256');
    }
    const { rows } = await db.query<{ bytes: Uint8Array }>('SELECT bytes FROM file_blobs WHERE sha256 = $1', [sha256]);
    const bytes = rows[0]?.bytes;
    if (bytes === undefined) {
      throw new HttpError(
        404,
        `file ${sha256} has not been uploaded yet: the device that attached it uploads it when online`,
        'sha256',
      );
    }
    return reply
      .type(mimeType)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', 'attachment')
      .header('cache-control', 'private, max-age=31536000, immutable')
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}
