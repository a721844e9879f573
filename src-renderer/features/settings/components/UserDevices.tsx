import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { appSession, useSessionState } from '../../../app/app-session';
import { authorizedFetch } from '../../../sync/authenticated-transport';
import { Dialog } from '../../../ui/Dialog';
import { formatFullDateTime } from '../../../ui/format';
import { toast } from '../../../ui/toasts';
import './UserDevices.css';

interface Device {
  deviceId: string;
  firstSeenAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

const devicesKey = (serverUrl: string, userId: string) => ['devices', serverUrl, userId] as const;
const when = (iso: string) => formatFullDateTime(iso);

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `the server answered ${response.status}`);
  return body;
}

/** A short name for a browser's user agent: enough to tell a laptop from a phone. */
function agentName(agent: string | null): string {
  if (!agent) return 'Unknown client';
  if (/Electron/i.test(agent)) return 'Desktop app';
  const os = /Windows/.test(agent)
    ? 'Windows'
    : /Mac OS/.test(agent)
      ? 'macOS'
      : /Android/.test(agent)
        ? 'Android'
        : /iPhone|iPad/.test(agent)
          ? 'iOS'
          : /Linux/.test(agent)
            ? 'Linux'
            : '';
  const browser = /Firefox\//.test(agent)
    ? 'Firefox'
    : /Edg\//.test(agent)
      ? 'Edge'
      : /Chrom/.test(agent)
        ? 'Chromium'
        : /Safari\//.test(agent)
          ? 'Safari'
          : 'Browser';
  return os ? `${browser} on ${os}` : browser;
}

/**
 * The devices a user has synced from (Settings → Users → a user), last seen first, and Revoke for
 * administrators: the device is refused on its next contact and wipes its copy of the data
 * (sync-server/src/auth/devices.ts). Devices live on the server, so this needs a signed-in session.
 */
export function UserDevices({ userId, canRevoke }: { userId: string; canRevoke: boolean }) {
  const session = useSessionState();
  const serverUrl = session.status === 'signed-in' ? session.serverUrl : undefined;
  const client = useQueryClient();
  const [revoking, setRevoking] = useState<Device | undefined>();
  const [reason, setReason] = useState('');
  const devices = useQuery({
    queryKey: devicesKey(serverUrl ?? '', userId),
    queryFn: async ({ signal }) =>
      (
        await answer<{ devices: Device[] }>(
          await authorizedFetch(appSession())(`${serverUrl}/auth/devices?userId=${encodeURIComponent(userId)}`, {
            signal,
          }),
        )
      ).devices,
    enabled: serverUrl !== undefined,
  });
  const revoke = useMutation({
    mutationFn: async (device: Device) =>
      answer(
        await authorizedFetch(appSession())(`${serverUrl}/auth/devices/revoke`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            userId,
            deviceId: device.deviceId,
            ...(reason.trim() ? { reason: reason.trim() } : {}),
          }),
        }),
      ),
    onSuccess: async () => {
      setRevoking(undefined);
      setReason('');
      toast({ tone: 'success', message: 'Device revoked: it wipes its data on its next contact' });
      await client.invalidateQueries({ queryKey: ['devices'] });
    },
  });

  return (
    <section className="settings-subsection" aria-label="Devices">
      <h3>Devices</h3>
      {serverUrl === undefined ? (
        <p className="muted">Devices are known to the sync server: sign in to a server to see them.</p>
      ) : devices.isError ? (
        <p className="form-error">Devices could not be read: {String(devices.error.message)}</p>
      ) : devices.data === undefined ? (
        <p className="muted">Loading devices…</p>
      ) : devices.data.length === 0 ? (
        <p className="muted">No device has synced for this user yet.</p>
      ) : (
        <table className="user-devices-table">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Last seen</th>
              <th scope="col">First seen</th>
              <th scope="col">Status</th>
              {canRevoke && <th scope="col" aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {devices.data.map((device) => (
              <tr key={device.deviceId} className={device.revokedAt ? 'revoked' : undefined}>
                <td>
                  {agentName(device.userAgent)}
                  <div className="device-id">{device.deviceId}</div>
                </td>
                <td>{when(device.lastSeenAt)}</td>
                <td>{when(device.firstSeenAt)}</td>
                <td>
                  {device.revokedAt ? (
                    <span title={device.revokeReason ?? undefined}>Revoked {when(device.revokedAt)}</span>
                  ) : (
                    'Active'
                  )}
                </td>
                {canRevoke && (
                  <td>
                    {!device.revokedAt && (
                      <button type="button" className="danger" onClick={() => setRevoking(device)}>
                        Revoke…
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Dialog title="Revoke this device?" open={revoking !== undefined} onClose={() => setRevoking(undefined)}>
        <p>
          <strong>{agentName(revoking?.userAgent ?? null)}</strong> ({revoking?.deviceId}) will be refused on its next
          contact with the server and will remove this user’s data from itself, unsent changes included. The user’s
          other devices keep working.
        </p>
        <label className="field">
          <span>Reason (kept in the audit trail)</span>
          <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </label>
        {revoke.isError && <p className="form-error">{revoke.error.message}</p>}
        <div className="form-actions">
          <button type="button" onClick={() => setRevoking(undefined)}>
            Cancel
          </button>
          <button
            type="button"
            className="primary danger-fill"
            disabled={revoke.isPending}
            onClick={() => revoking && revoke.mutate(revoking)}
          >
            Revoke device
          </button>
        </div>
      </Dialog>
    </section>
  );
}
