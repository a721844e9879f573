import type { Migration } from './migrate';

/**
 * What each scope fingerprint in a pull checkpoint meant (sync/scope-history.ts): when a user's
 * reach narrows (they leave a team, lose a role), the next pull compares the scope their device's
 * checkpoint was issued under with the current one and serves the difference as removals.
 */
export const scopeHistoryMigration: Migration = {
  id: '1795996000000_scope_history',
  statements: () => [
    `CREATE TABLE IF NOT EXISTS sync_scopes (
  fingerprint text PRIMARY KEY,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`,
    `COMMENT ON TABLE sync_scopes IS 'Read scopes by the fingerprint pull checkpoints carry: user, scope per entity, team.'`,
  ],
};
