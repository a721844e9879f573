import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { inScope } from '../../../src-shared/auth/permissions';
import { contentInteractionEntity } from '../../../src-shared/entities/content.entity';
import { getEntity } from '../../../src-shared/entities/registry';
import { type Access, loadAccess, readScope } from '../auth/access';
import type { Authenticate } from '../auth/authenticate';
import type { Database, Queryable } from '../db/database';
import { HttpError } from '../http/errors';
import { RateLimiter } from '../http/rate-limit';
import { parseBody } from '../sync/routes';
import { selectForUpdate } from '../sync/row-writer';
import { serverKey } from './server-keys';
import { checkRecord, createdFields, IntegrationWriteError, writeAudited } from './server-write';
import { readTrackingToken, signTrackingToken, type TrackingTarget } from './tracking-token';

/**
 * Content tracking links: `POST /integrations/tracking-links` makes the link of one content item
 * for one recipient (a lead or contact the caller may read); `GET /t/:token`, public, records a
 * 'click' content interaction on the recipient (through the row writer, audited as
 * 'tracking-link', so devices pull it and engagement reports and lead scoring count it) and
 * redirects (302) to the content's URL. A token that is not genuine, or names content or a
 * recipient that is gone, is a 404 and records nothing.
 */

const KEY_NAME = 'tracking-links';

const linkSchema = z.strictObject({
  contentId: z.string().min(1).max(40),
  subjectType: z.enum(['lead', 'contact']),
  subjectId: z.string().min(1).max(40),
  channel: z.string().trim().min(1).max(60).optional(),
});

interface Live {
  doc: Record<string, unknown>;
}

async function live(db: Queryable, kind: string, id: string): Promise<Live | undefined> {
  const doc = await selectForUpdate(db, getEntity(kind), id);
  if (doc === undefined || doc._deleted === true || doc.isDeleted === true) return undefined;
  return { doc };
}

function mayRead(access: Access, kind: string, ownerId: unknown): boolean {
  if (access.kind === 'unrestricted') return true;
  return inScope(readScope(access, getEntity(kind)), access.actor, typeof ownerId === 'string' ? ownerId : undefined);
}

const httpUrl = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
};

export function trackingRoutes(
  app: FastifyInstance,
  options: {
    db: Database;
    authenticate: Authenticate;
    now: () => Date;
    newId: () => string;
    committed(collection: 'activities', txid: string): void;
    /** Where links point (PUBLIC_URL); else the origin the request came to. */
    publicUrl?: string;
  },
): void {
  const { db, now } = options;
  // Clicks per address: a crawler or a loop cannot flood a lead's engagement.
  const clicks = new RateLimiter({ max: 60, windowMs: 60_000 }, () => now().getTime());

  app.post('/integrations/tracking-links', async (request) => {
    const access = await loadAccess(db, await options.authenticate(request));
    const body = parseBody(linkSchema, request.body);
    const content = await live(db, 'content', body.contentId);
    if (!content || !mayRead(access, 'content', content.doc.ownerId)) {
      throw new HttpError(404, `no content ${body.contentId}`, 'contentId');
    }
    if (!httpUrl(content.doc.url)) throw new HttpError(400, 'the content has no web URL to link to', 'contentId');
    const subject = await live(db, body.subjectType, body.subjectId);
    if (!subject || !mayRead(access, body.subjectType, subject.doc.ownerId)) {
      throw new HttpError(404, `no ${body.subjectType} ${body.subjectId}`, 'subjectId');
    }
    const token = signTrackingToken(await serverKey(db, KEY_NAME, now()), body);
    const base = options.publicUrl ?? `${request.protocol}://${request.host}`;
    return { token, url: `${base.replace(/\/$/, '')}/t/${token}` };
  });

  // A wildcard, not `:token`: Fastify refuses a path parameter over 100 characters (414), and a token
  // naming two 40-character ids is longer.
  app.get('/t/*', async (request, reply) => {
    clicks.take(`address:${request.ip}`, 'too many clicks from this address');
    const token = String((request.params as { '*'?: unknown })['*'] ?? '');
    const target: TrackingTarget | undefined = readTrackingToken(await serverKey(db, KEY_NAME, now()), token);
    if (!target) throw new HttpError(404, 'no such link');
    const at = now();
    const referrer = httpUrl(request.headers.referer);
    const result = await db.transaction(async (tx) => {
      const content = await live(tx, 'content', target.contentId);
      const subject = await live(tx, target.subjectType, target.subjectId);
      const url = httpUrl(content?.doc.url);
      if (!content || !subject || !url) return undefined;
      const ownerId = String(subject.doc.ownerId);
      const interaction: Record<string, unknown> = {
        ...createdFields(options.newId(), 'contentInteraction', ownerId, ownerId, at),
        contentId: target.contentId,
        subjectType: target.subjectType,
        subjectId: target.subjectId,
        type: 'click',
        occurredAt: at.toISOString(),
        channel: (target.channel ?? 'tracking link').slice(0, 60),
        ...(referrer ? { referrer } : {}),
      };
      // A referrer the registry refuses (too long) is left out rather than losing the click.
      try {
        checkRecord(contentInteractionEntity, interaction);
      } catch (error) {
        if (!(error instanceof IntegrationWriteError) || error.field !== 'referrer') throw error;
        delete interaction.referrer;
      }
      const txid = await writeAudited(tx, contentInteractionEntity, undefined, interaction, {
        actorId: ownerId,
        deviceId: 'tracking-link',
        reason: `tracking link of "${String(content.doc.title ?? target.contentId)}"`,
        now: at,
        newId: options.newId,
      });
      return { url, txid };
    });
    if (!result) throw new HttpError(404, 'no such link');
    options.committed('activities', result.txid);
    return reply.redirect(result.url, 302);
  });
}
