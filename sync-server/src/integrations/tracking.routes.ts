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
 * for one recipient (a lead or contact the caller may read), with its open-tracking pixel.
 * Public and unauthenticated, both record a content interaction on the recipient (through the row
 * writer, audited as 'tracking-link', so devices pull it and engagement reports and lead scoring
 * count it):
 * - `GET /t/:token` records a 'click' and redirects (302) to the content's URL;
 * - `GET /o/:token.gif`, a 1x1 GIF to put in the email that carries the link, records an 'open'.
 *   Mail clients and proxies fetch images again and again (preview pane, reopening), so one open
 *   per token per minute is recorded; the rest get the image and write nothing. `no-store`, so a
 *   reopening fetches it again rather than reading a cache.
 * A token that is not genuine, or names content or a recipient that is gone, is a 404 naming which,
 * and records nothing.
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

/** A transparent 1x1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
/** One open per token in this window: a mail client fetching the image again is not a new open. */
const OPEN_DEDUP_MS = 60_000;
const NOT_GENUINE = 'not a genuine tracking link (malformed, or its signature does not match)';
const GONE = "the tracking link's content or recipient no longer exists";

type InteractionType = 'click' | 'open';

interface TrackingOptions {
  db: Database;
  authenticate: Authenticate;
  now: () => Date;
  newId: () => string;
  committed(collection: 'activities', txid: string): void;
  /** Where links point (PUBLIC_URL); else the origin the request came to. */
  publicUrl?: string;
}

/** An open of this token recorded within the window (the advisory lock orders concurrent fetches). */
async function recentOpen(tx: Queryable, target: TrackingTarget, channel: string, at: Date): Promise<boolean> {
  const key = JSON.stringify(['open', target.contentId, target.subjectType, target.subjectId, channel]);
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  const { rows } = await tx.query(
    `SELECT 1 FROM content_interactions WHERE content_id = $1 AND subject_type = $2 AND subject_id = $3
       AND type = 'open' AND channel = $4 AND occurred_at > $5::timestamptz AND NOT is_deleted LIMIT 1`,
    [
      target.contentId,
      target.subjectType,
      target.subjectId,
      channel,
      new Date(at.getTime() - OPEN_DEDUP_MS).toISOString(),
    ],
  );
  return rows.length > 0;
}

/**
 * Records one interaction of `type` for a genuine token's target; the content's URL and the txid
 * (undefined when an open was deduplicated). Throws a 404 naming what is gone.
 */
async function recordInteraction(
  options: TrackingOptions,
  target: TrackingTarget,
  type: InteractionType,
  referrer: string | undefined,
): Promise<{ url: string; txid?: string }> {
  const at = options.now();
  const channel = (target.channel ?? 'tracking link').slice(0, 60);
  const result = await options.db.transaction(async (tx) => {
    const content = await live(tx, 'content', target.contentId);
    const subject = await live(tx, target.subjectType, target.subjectId);
    const url = httpUrl(content?.doc.url);
    if (!content || !subject || !url) return undefined;
    if (type === 'open' && (await recentOpen(tx, target, channel, at))) return { url };
    const ownerId = String(subject.doc.ownerId);
    const interaction: Record<string, unknown> = {
      ...createdFields(options.newId(), 'contentInteraction', ownerId, ownerId, at),
      contentId: target.contentId,
      subjectType: target.subjectType,
      subjectId: target.subjectId,
      type,
      occurredAt: at.toISOString(),
      channel,
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
      reason: `tracking ${type === 'open' ? 'pixel' : 'link'} of "${String(content.doc.title ?? target.contentId)}"`,
      now: at,
      newId: options.newId,
    });
    return { url, txid };
  });
  if (!result) throw new HttpError(404, GONE);
  if (result.txid) options.committed('activities', result.txid);
  return result;
}

export function trackingRoutes(app: FastifyInstance, options: TrackingOptions): void {
  const { db, now } = options;
  // Hits per address: a crawler or a loop cannot flood a lead's engagement.
  const clicks = new RateLimiter({ max: 60, windowMs: 60_000 }, () => now().getTime());
  const opens = new RateLimiter({ max: 120, windowMs: 60_000 }, () => now().getTime());
  const targetOf = async (token: string): Promise<TrackingTarget> => {
    const target = readTrackingToken(await serverKey(db, KEY_NAME, now()), token);
    if (!target) throw new HttpError(404, NOT_GENUINE);
    return target;
  };

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
    const base = (options.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');
    return { token, url: `${base}/t/${token}`, pixelUrl: `${base}/o/${token}.gif` };
  });

  // Wildcards, not `:token`: Fastify refuses a path parameter over 100 characters (414), and a token
  // naming two 40-character ids is longer.
  app.get('/t/*', async (request, reply) => {
    clicks.take(`address:${request.ip}`, 'too many clicks from this address');
    const target = await targetOf(String((request.params as { '*'?: unknown })['*'] ?? ''));
    const { url } = await recordInteraction(options, target, 'click', httpUrl(request.headers.referer));
    return reply.redirect(url, 302);
  });

  app.get('/o/*', async (request, reply) => {
    opens.take(`address:${request.ip}`, 'too many opens from this address');
    const path = String((request.params as { '*'?: unknown })['*'] ?? '');
    if (!path.endsWith('.gif')) throw new HttpError(404, 'a tracking pixel ends in .gif');
    const target = await targetOf(path.slice(0, -'.gif'.length));
    await recordInteraction(options, target, 'open', undefined);
    return reply
      .header('cache-control', 'no-store, no-cache, must-revalidate, max-age=0')
      .header('pragma', 'no-cache')
      .header('expires', '0')
      .type('image/gif')
      .send(PIXEL);
  });
}
