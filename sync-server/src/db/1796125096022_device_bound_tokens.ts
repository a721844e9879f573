import type { Migration } from './migrate';

/**
 * A sign-in belongs to the device it was made on (`x-device-id` at /auth/login): its refresh tokens
 * keep the device, its access tokens name it, and the device gate checks that device rather than
 * the header, so a revoked device's tokens stay refused however the header is set (auth/devices.ts).
 * Tokens issued before, with no device, take the device named at their next refresh.
 */
export const deviceBoundTokensMigration: Migration = {
  id: '1796125096022_device_bound_tokens',
  statements: () => ['ALTER TABLE refresh_tokens ADD COLUMN IF NOT EXISTS device_id text'],
};
