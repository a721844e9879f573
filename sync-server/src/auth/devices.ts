import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { auditEntry } from '../../../src-shared/audit/audit-changes';
import { DEVICE_ID_HEADER, DEVICE_ID_PATTERN, DEVICE_REVOKED_FIELD } from '../../../src-shared/auth/device';
import { can } from '../../../src-shared/auth/permissions';
import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import type { Database, Queryable } from '../db/database';
import { HttpError } from '../http/errors';
import { parseBody } from '../sync/routes';
import { insertRow } from '../sync/row-writer';
import { SERVER_DEVICE } from '../sync/server-audit';
import { loadAccess } from './access';
import type { Authenticate, Principal } from './authenticate';

/**
 * Devices (issue 7): each authenticated request names its device in `x-device-id` (the renderer's
 * device-id.ts), the server records it per user with when it was last seen, and an administrator
 * can revoke one. A revoked device is refused on its next contact with 403 and `field:
 * "x-device-id"`, which the app takes as the order to wipe its local data (src-renderer/sync/session-wipe.ts).
 * A sign-in made with the header belongs to that device: its tokens name it (auth.service.ts), and
 * it is the token's device that is checked, so a revoked device's tokens stay refused with the
 * header left out or changed. A request with neither (scripts, the API with keys) is not a device and passes.
 */

/** A device's last-seen time is written at most this often, not on every request. */
const SEEN_EVERY_MS = 60_000;

export interface DeviceRow {
  deviceId: string;
  firstSeenAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

export interface DeviceOptions {
  db: Database;
  now?: () => Date;
}

/** The device `x-device-id` names, if any; 400 naming the header when it is malformed. */
export function requestDeviceId(request: FastifyRequest): string | undefined {
  const header = request.headers[DEVICE_ID_HEADER];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !DEVICE_ID_PATTERN.test(header)) {
    throw new HttpError(400, `${DEVICE_ID_HEADER} must be 1 to 64 letters, digits or _.:-`, DEVICE_ID_HEADER);
  }
  return header;
}

/** The 403 of a revoked device, whose `field` the app reads as the order to wipe its local data. */
export function deviceRevokedError(reason: string | null): HttpError {
  const why = reason ? `: ${reason}` : '';
  return new HttpError(
    403,
    `an administrator revoked this device${why}; its local data is removed`,
    DEVICE_REVOKED_FIELD,
  );
}

interface KnownDevice {
  revoked_at: Date | null;
  revoke_reason: string | null;
  last: Date;
}

async function knownDevice(db: Queryable, userId: string, deviceId: string): Promise<KnownDevice | undefined> {
  const { rows } = await db.query<KnownDevice>(
    'SELECT revoked_at, revoke_reason, last_seen_at AS last FROM devices WHERE user_id = $1 AND device_id = $2',
    [userId, deviceId],
  );
  return rows[0];
}

/** The revocation of the user's device, with the administrator's reason; undefined if it is not revoked. */
export async function deviceRevocation(
  db: Queryable,
  userId: string,
  deviceId: string,
): Promise<{ reason: string | null } | undefined> {
  const known = await knownDevice(db, userId, deviceId);
  return known?.revoked_at ? { reason: known.revoke_reason } : undefined;
}

/**
 * The device a session's request comes from: the one its token was issued to, else (a script, or a
 * token from before devices were kept) the header's. A header naming another device than the
 * token's is refused: one device's session is not another's.
 */
function callingDevice(principal: Principal, request: FastifyRequest): string | undefined {
  const header = requestDeviceId(request);
  const bound = principal.deviceId;
  if (bound !== undefined && header !== undefined && header !== bound) {
    throw new HttpError(
      400,
      `${DEVICE_ID_HEADER} names ${header}, but this session was signed in on another device: sign in on this one`,
      DEVICE_ID_HEADER,
    );
  }
  return bound ?? header;
}

/** Notes that the user's device was seen at `at` (a new device is added), at most once a minute per device. */
export async function noteDeviceSeen(
  db: Queryable,
  userId: string,
  deviceId: string,
  at: Date,
  userAgent: string | null,
  known?: KnownDevice,
): Promise<void> {
  if (!known) {
    await db.query(
      `INSERT INTO devices (user_id, device_id, first_seen_at, last_seen_at, user_agent) VALUES ($1, $2, $3, $3, $4)
       ON CONFLICT (user_id, device_id) DO NOTHING`,
      [userId, deviceId, at.toISOString(), userAgent],
    );
  } else if (at.getTime() - new Date(known.last).getTime() >= SEEN_EVERY_MS) {
    await db.query(
      'UPDATE devices SET last_seen_at = $3, user_agent = COALESCE($4, user_agent) WHERE user_id = $1 AND device_id = $2',
      [userId, deviceId, at.toISOString(), userAgent],
    );
  }
}

export const userAgentOf = (request: FastifyRequest): string | null =>
  String(request.headers['user-agent'] ?? '').slice(0, 300) || null;

/** Refuses a revoked device and notes when each device was last seen, after `authenticate` said who calls. */
export function deviceGate(authenticate: Authenticate, options: DeviceOptions): Authenticate {
  const now = options.now ?? (() => new Date());
  return async (request): Promise<Principal> => {
    const principal = await authenticate(request);
    const deviceId = callingDevice(principal, request);
    if (deviceId === undefined) return principal;
    const known = await knownDevice(options.db, principal.userId, deviceId);
    if (known?.revoked_at) throw deviceRevokedError(known.revoke_reason);
    await noteDeviceSeen(options.db, principal.userId, deviceId, now(), userAgentOf(request), known);
    return principal;
  };
}

const iso = (value: Date | string | null | undefined) => (value == null ? null : new Date(value).toISOString());

export async function listDevices(db: Queryable, userId: string): Promise<DeviceRow[]> {
  const { rows } = await db.query<Record<string, Date | string | null | undefined>>(
    `SELECT device_id, first_seen_at, last_seen_at, user_agent, revoked_at, revoked_by, revoke_reason
       FROM devices WHERE user_id = $1 ORDER BY last_seen_at DESC, device_id`,
    [userId],
  );
  return rows.map((r) => ({
    deviceId: String(r.device_id),
    firstSeenAt: iso(r.first_seen_at) as string,
    lastSeenAt: iso(r.last_seen_at) as string,
    userAgent: r.user_agent == null ? null : String(r.user_agent),
    revokedAt: iso(r.revoked_at),
    revokedBy: r.revoked_by == null ? null : String(r.revoked_by),
    revokeReason: r.revoke_reason == null ? null : String(r.revoke_reason),
  }));
}

const userId = z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' }).max(40);
const revokeSchema = z.strictObject({
  userId,
  deviceId: z.string({ error: 'must be text' }).regex(DEVICE_ID_PATTERN, { error: 'is not a device id' }),
  reason: z.string({ error: 'must be text' }).trim().max(500, { error: 'must be at most 500 characters' }).optional(),
});

const listSchema = z.strictObject({ userId: userId.optional() });

async function requireUserAdmin(db: Database, principal: Principal): Promise<void> {
  const access = await loadAccess(db, principal);
  if (access.kind === 'unrestricted' || can(access.permissions, 'user', 'update') === 'all') return;
  throw new HttpError(403, "only an administrator may see or revoke another user's devices", 'userId');
}

export interface DeviceRoutesOptions extends DeviceOptions {
  authenticate: Authenticate;
  newId?: () => string;
}

/**
 * `GET /auth/devices?userId=` → `{ devices }` (one's own, or anyone's for an administrator);
 * `POST /auth/devices/revoke {userId, deviceId, reason?}` (administrators) → the device, revoked,
 * with a server audit entry on the user saying which device, by whom and why.
 */
export function deviceRoutes(app: FastifyInstance, options: DeviceRoutesOptions): void {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => `srv_${randomUUID().replaceAll('-', '')}`);

  app.get('/auth/devices', async (request) => {
    const principal = await options.authenticate(request);
    // Strict, as every other query of the API: a misspelt `userId` must not list one's own devices instead.
    const id = parseBody(listSchema, request.query).userId ?? principal.userId;
    if (id !== principal.userId) await requireUserAdmin(db, principal);
    return { devices: await listDevices(db, id) };
  });

  app.post('/auth/devices/revoke', async (request) => {
    const principal = await options.authenticate(request);
    const body = parseBody(revokeSchema, request.body);
    await requireUserAdmin(db, principal);
    const at = now();
    const reason = body.reason || null;
    return db.transaction(async (tx) => {
      const { rows } = await tx.query(
        `UPDATE devices SET revoked_at = COALESCE(revoked_at, $3), revoked_by = COALESCE(revoked_by, $4),
                revoke_reason = COALESCE(revoke_reason, $5)
          WHERE user_id = $1 AND device_id = $2 RETURNING device_id`,
        [body.userId, body.deviceId, at.toISOString(), principal.userId, reason],
      );
      if (rows.length === 0) {
        throw new HttpError(404, `user ${body.userId} has no device ${body.deviceId}`, 'deviceId');
      }
      const entry = auditEntry(
        { id: newId(), at, actorId: principal.userId, deviceId: SERVER_DEVICE, collection: 'users' },
        [{ id: body.userId, kind: 'user', action: 'update', changes: {} }],
      );
      await insertRow(tx, auditLogEntity, {
        ...entry,
        source: 'server',
        reason: `device ${body.deviceId} revoked${reason ? `: ${reason}` : ''}`.slice(0, 500),
        _deleted: false,
      });
      const device = (await listDevices(tx, body.userId)).find((d) => d.deviceId === body.deviceId);
      return { device };
    });
  });
}
