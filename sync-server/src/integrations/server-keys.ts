import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database';

/**
 * A named server key (`integration_keys`), made on first use: every instance on this Postgres reads
 * the same one, and it survives restarts without a setting to configure. Cached per database handle.
 */
const caches = new WeakMap<object, Map<string, Buffer>>();

export async function serverKey(db: Queryable, name: string, now: Date): Promise<Buffer> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const cached = cache.get(name);
  if (cached) return cached;
  await db.query(
    `INSERT INTO integration_keys (name, secret, created_at) VALUES ($1, $2, $3::timestamptz) ON CONFLICT (name) DO NOTHING`,
    [name, randomBytes(32).toString('base64'), now.toISOString()],
  );
  const { rows } = await db.query<{ secret: string }>('SELECT secret FROM integration_keys WHERE name = $1', [name]);
  const key = Buffer.from(rows[0]?.secret ?? '', 'base64');
  if (key.length !== 32) throw new Error(`server key ${name} is missing`);
  cache.set(name, key);
  return key;
}

/** The secret workflow webhook actions are signed with (one per server, unlike an integration's own). */
export async function workflowWebhookSecret(db: Queryable, now: Date): Promise<string> {
  return `whsec_${(await serverKey(db, 'workflow-webhooks', now)).toString('base64url')}`;
}
