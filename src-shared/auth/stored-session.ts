import { z } from 'zod';
import type { SessionTokens, SessionUser, StoredSession } from '../ipc/contract';

/**
 * The shape of a stored session, checked wherever one crosses a trust boundary or comes back from
 * disk: the main process parses what the renderer asks it to save, and every store parses what it
 * reads back (a file or localStorage entry edited by hand, or left by another version, reads as no
 * session rather than as a broken one). Bounds keep a compromised page from writing megabytes.
 */

/** `fcrt_` and 43 base64url characters, as the server issues them (sync-server/src/auth/tokens.ts). */
export const REFRESH_TOKEN_PATTERN = /^fcrt_[A-Za-z0-9_-]{43}$/;
/** A compact JWS: three base64url parts. */
export const ACCESS_TOKEN_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const text = (max: number) => z.string().min(1).max(max);

/** An http(s) server address without query or fragment; a trailing slash is dropped. */
export const serverUrlSchema = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(2048, { error: 'must be at most 2048 characters' })
  .refine(
    (value) => {
      if (!URL.canParse(value)) return false;
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
    },
    { error: 'must be an http:// or https:// address like https://crm.example.com' },
  )
  .transform((value) => value.replace(/\/+$/, ''));

const userSchema: z.ZodType<SessionUser> = z.strictObject({
  id: text(200),
  email: text(254),
  firstName: z.string().max(200),
  lastName: z.string().max(200),
  roleId: text(200),
});

const tokensSchema: z.ZodType<SessionTokens> = z.strictObject({
  accessToken: z.string().max(8192).regex(ACCESS_TOKEN_PATTERN),
  accessTokenExpiresAt: z.iso.datetime(),
  refreshToken: z.string().regex(REFRESH_TOKEN_PATTERN),
});

export const storedSessionSchema: z.ZodType<StoredSession> = z.strictObject({
  serverUrl: serverUrlSchema,
  user: userSchema,
  tokens: tokensSchema.nullable(),
});

/** The stored session in `value`, or null when it is not one. */
export function parseStoredSession(value: unknown): StoredSession | null {
  const parsed = storedSessionSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
