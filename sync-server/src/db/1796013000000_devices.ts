import type { Migration } from './migrate';

/**
 * Devices per user (issue 7): every authenticated request names its device (`x-device-id`), the
 * server keeps when it was first and last seen, and an administrator can revoke one; a revoked
 * device is refused with 403 `device-revoked` and wipes its local data (auth/devices.ts).
 */
export const devicesMigration: Migration = {
  id: '1796013000000_devices',
  statements: () => [
    `CREATE TABLE devices (
  user_id text NOT NULL,
  device_id text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  user_agent text,
  revoked_at timestamptz,
  revoked_by text,
  revoke_reason text,
  PRIMARY KEY (user_id, device_id)
)`,
  ],
};
