import { describe, expect, it } from 'vitest';
import { authorizedFetch, DeviceRevokedError } from '../../../../src-renderer/sync/authenticated-transport';
import { createSession } from '../../../../src-renderer/sync/session';
import { memoryTokenStore } from '../../../../src-renderer/sync/token-store';

const SERVER = 'https://crm.example';

async function signedIn() {
  const session = createSession({
    store: memoryTokenStore({
      serverUrl: SERVER,
      user: { id: 'u1', email: 'u1@example.com', firstName: 'U', lastName: 'One', roleId: 'role-rep' },
      tokens: {
        accessToken: 'a.b.c',
        accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        refreshToken: 'fcrt_x',
      },
    }),
    deviceId: () => 'device-1',
  });
  await session.restore();
  const revoked: string[] = [];
  session.revoked$?.subscribe((reason) => revoked.push(reason));
  return { session, revoked };
}

const reply = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('a revoked device is told apart from any other refusal', () => {
  it('names the device on every request and reports the device 403 as a revocation', async () => {
    const { session, revoked } = await signedIn();
    const seen: (string | null)[] = [];
    const doFetch = authorizedFetch(session, async (_input, init) => {
      seen.push(new Headers(init?.headers).get('x-device-id'));
      return reply(403, { error: 'an administrator revoked this device: lost', field: 'x-device-id' });
    });
    await expect(doFetch(`${SERVER}/sync/contacts/pull`, { method: 'POST' })).rejects.toThrow(DeviceRevokedError);
    expect(seen).toEqual(['device-1']);
    expect(revoked).toEqual(['an administrator revoked this device: lost']);
  });

  it('passes other 403s (a permission, a malformed body) through untouched, wiping nothing', async () => {
    const { session, revoked } = await signedIn();
    const answers = [
      reply(403, { error: 'only an administrator may…', field: 'userId' }),
      new Response('nope', { status: 403 }),
    ];
    const doFetch = authorizedFetch(session, async () => answers.shift() as Response);
    expect((await doFetch(`${SERVER}/auth/devices`)).status).toBe(403);
    expect((await doFetch(`${SERVER}/auth/devices`)).status).toBe(403);
    expect(revoked).toEqual([]);
  });
});
