import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A content tracking link's token: `<payload>.<mac>`, both base64url; the payload is the JSON
 * `{ v: 1, c: contentId, s: 'lead' | 'contact', r: recipientId, ch?: channel }`, the mac the first
 * 16 bytes (128 bits) of HMAC-SHA256 under the server's tracking key. Stateless: nothing is stored
 * per link, and no one without the key can make a token for another recipient or content item (a
 * changed byte anywhere fails the check), so ids in the payload cannot be guessed into a link.
 */

export interface TrackingTarget {
  contentId: string;
  subjectType: 'lead' | 'contact';
  subjectId: string;
  channel?: string;
}

const MAC_BYTES = 16;

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);

export function signTrackingToken(key: Buffer, target: TrackingTarget): string {
  const payload = Buffer.from(
    JSON.stringify({
      v: 1,
      c: target.contentId,
      s: target.subjectType,
      r: target.subjectId,
      ...(target.channel ? { ch: target.channel } : {}),
    }),
  ).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** The target of a genuine token; undefined for anything else (malformed, tampered, another key). */
export function readTrackingToken(key: Buffer, token: string): TrackingTarget | undefined {
  if (token.length > 1000) return undefined;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const p = parsed as Record<string, unknown>;
  if (p.v !== 1 || typeof p.c !== 'string' || typeof p.r !== 'string') return undefined;
  if (p.s !== 'lead' && p.s !== 'contact') return undefined;
  return {
    contentId: p.c,
    subjectType: p.s,
    subjectId: p.r,
    ...(typeof p.ch === 'string' ? { channel: p.ch } : {}),
  };
}
