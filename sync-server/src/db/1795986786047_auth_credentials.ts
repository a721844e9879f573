import type { Migration } from './migrate';

/**
 * Server-only credential storage (DESIGN.md §6). These tables are not entities of the registry, so
 * no pull, push or export ever reads them, and the `users` rows devices replicate hold no secret.
 * - `user_credentials`: one argon2id hash per user (the CHECK refuses anything else, a plain
 *   password above all);
 * - `refresh_tokens`: only the SHA-256 of each opaque token is stored. A token belongs to a family
 *   (one per sign-in); using it revokes it and issues its successor in the family, so a revoked
 *   token presented again shows a copy is in other hands and the whole family is revoked.
 */
export const authCredentialsMigration: Migration = {
  id: '1795986786047_auth_credentials',
  statements: () => [
    `CREATE TABLE IF NOT EXISTS user_credentials (
  user_id text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE TABLE IF NOT EXISTS refresh_tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family_id text NOT NULL,
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  replaced_by text
)`,
    'CREATE INDEX IF NOT EXISTS refresh_tokens_user_id ON refresh_tokens (user_id)',
    'CREATE INDEX IF NOT EXISTS refresh_tokens_family_id ON refresh_tokens (family_id)',
    `COMMENT ON TABLE user_credentials IS 'Server only: argon2id password hashes. Never replicated; never copy into users.'`,
    `COMMENT ON TABLE refresh_tokens IS 'Server only: SHA-256 of refresh tokens, rotated on use, one family per sign-in.'`,
  ],
};
