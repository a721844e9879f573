import type { Migration } from './migrate';

/**
 * Keys of the public API (sync-server/src/api): created by an administrator, each acting as one user
 * with a role and per-entity read/write grants that narrow it further. Only a SHA-256 of the secret
 * is kept: the secret is 32 random bytes, so a slow password hash buys nothing (OWASP API keys).
 * Revoked keys stay, so the audit trail's references to them keep a name.
 */
export const apiKeysMigration: Migration = {
  id: '1796010000000_api_keys',
  statements: () => [
    `CREATE TABLE IF NOT EXISTS api_keys (
  id text PRIMARY KEY,
  name text NOT NULL,
  prefix text NOT NULL,
  secret_hash text NOT NULL UNIQUE,
  user_id text NOT NULL,
  role_id text NOT NULL,
  scopes jsonb NOT NULL,
  expires_at timestamptz,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  revoked_at timestamptz,
  revoked_by text,
  last_used_at timestamptz
)`,
  ],
};
