import { DEVICE_ID_HEADER, DEVICE_REVOKED_FIELD } from '../../src-shared/auth/device';
import { httpTransport, type SyncTransport } from '../db/sync-transport';
import type { Session } from './session';

/**
 * `fetch` with the session's bearer token. A 401 is answered by one refresh shared with every
 * other request that got one (`Session.refreshAfter`) and a single retry with the new token. Any
 * 401 counts, not only "expired": a token the server no longer accepts (its secret rotated) is
 * fixed by a refresh too, and if the refresh token is refused as well the session says so.
 */
export function authorizedFetch(session: Session, inner: typeof fetch = (...args) => fetch(...args)): typeof fetch {
  return async (input, init) => {
    const current = session.current();
    const url = input instanceof Request ? input.url : String(input);
    // The token is for our server only, whatever URL a caller passes.
    if (current && !url.startsWith(`${current.serverUrl}/`)) {
      throw new Error(`refusing to send the session's token to ${new URL(url).origin}`);
    }
    const device = session.deviceId?.();
    const send = async (token: string) => {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      headers.set('authorization', `Bearer ${token}`);
      if (device) headers.set(DEVICE_ID_HEADER, device);
      return revokedCheck(session, await inner(input, { ...init, headers }));
    };
    const token = await session.accessToken();
    const response = await send(token);
    if (response.status !== 401) return response;
    await response.body?.cancel().catch(() => undefined);
    return send(await session.refreshAfter(token));
  };
}

/** The server refused this device: an administrator revoked it (auth/devices.ts). */
export class DeviceRevokedError extends Error {
  override readonly name = 'DeviceRevokedError';
}

/**
 * A 403 naming the device field is the server's revocation: the session is told (the app then wipes
 * the device's data) and the request fails with DeviceRevokedError. Any other answer passes.
 */
async function revokedCheck(session: Session, response: Response): Promise<Response> {
  if (response.status !== 403) return response;
  const body = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { error?: unknown; field?: unknown } | undefined;
  if (body?.field !== DEVICE_REVOKED_FIELD) return response;
  const reason = typeof body.error === 'string' ? body.error : 'an administrator revoked this device';
  session.reportRevoked?.(reason);
  throw new DeviceRevokedError(reason);
}

export interface AuthenticatedTransportOptions {
  fetch?: typeof fetch;
}

/**
 * Pull, push and the live stream against the session's server, each request carrying the
 * session's token. The server is the one signed in to when this is called.
 */
export function authenticatedTransport(session: Session, options: AuthenticatedTransportOptions = {}): SyncTransport {
  const current = session.current();
  const state = session.state();
  const serverUrl = current?.serverUrl ?? (state.status === 'signed-out' ? undefined : state.serverUrl);
  if (serverUrl === undefined) throw new Error('authenticatedTransport needs a session: sign in or restore first');
  return httpTransport({ baseUrl: serverUrl, fetch: authorizedFetch(session, options.fetch) });
}
