import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../../src-main/ipc/handlers';
import { IPC_ARG_SCHEMAS } from '../../../../src-main/ipc/ipc-args';
import { type InvokeEvent, registerHandlers } from '../../../../src-main/ipc/register-handlers';
import { APP_ORIGIN, isAppUrl } from '../../../../src-main/security/trusted-url';
import { createSessionFile } from '../../../../src-main/session/session-file';
import {
  type AuthClient,
  AuthUnavailableError,
  createAuthClient,
  type ServerSession,
} from '../../../../src-renderer/sync/auth-client';
import { createSession } from '../../../../src-renderer/sync/session';
import { browserTokenStore, desktopTokenStore, memoryTokenStore } from '../../../../src-renderer/sync/token-store';
import { createCrmApi } from '../../../../src-shared/ipc/crm-api';

const SERVER = 'https://crm.example.com';
const MINUTE = 60_000;
const USER = { id: 'u_rep', email: 'rep@example.com', firstName: 'Rita', lastName: 'Rep', roleId: 'role_rep' };

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A session as the server answers it, its token issued at `serverNow` (the signature is not checked here). */
function answer(serverNow: number, n: number): ServerSession {
  const iat = Math.floor(serverNow / 1000);
  return {
    accessToken: `${part({ alg: 'HS256' })}.${part({ sub: USER.id, role: USER.roleId, iat, exp: iat + 900, n })}.c2ln`,
    accessTokenExpiresAt: new Date((iat + 900) * 1000).toISOString(),
    refreshToken: `fcrt_${String(n).padStart(43, 'r')}`,
    refreshTokenExpiresAt: new Date(serverNow + 30 * 24 * 60 * MINUTE).toISOString(),
    user: USER,
  };
}

/** An auth client over a server whose clock the test sets; counts refreshes and logouts. */
function fakeServer(serverNow: () => number) {
  let issued = 0;
  const calls = { login: 0, refresh: [] as string[], logout: [] as string[] };
  let onRefresh: () => Promise<void> = async () => {};
  const client: AuthClient = {
    async login() {
      calls.login += 1;
      return answer(serverNow(), ++issued);
    },
    async refresh(_url, refreshToken) {
      calls.refresh.push(refreshToken);
      await onRefresh();
      return answer(serverNow(), ++issued);
    },
    async logout(_url, refreshToken) {
      calls.logout.push(refreshToken);
    },
  };
  return {
    client,
    calls,
    holdRefresh(until: Promise<void>) {
      onRefresh = () => until;
    },
  };
}

describe('the session’s clock', () => {
  it('does not refresh on every request when the device’s clock is hours ahead of the server’s', async () => {
    const serverNow = Date.parse('2026-04-01T09:00:00.000Z');
    let deviceNow = serverNow + 3 * 60 * MINUTE;
    const server = fakeServer(() => serverNow);
    const session = createSession({ store: memoryTokenStore(), client: server.client, now: () => deviceNow });
    await session.signIn(SERVER, USER.email, 'password');
    const token = await session.accessToken();
    deviceNow += 14 * MINUTE;
    await expect(session.accessToken()).resolves.toBe(token);
    expect(server.calls.refresh).toHaveLength(0);
    // 30 s before the token's lifetime ends by the device's own clock, it refreshes first.
    deviceNow += 31_000;
    await expect(session.accessToken()).resolves.not.toBe(token);
    expect(server.calls.refresh).toHaveLength(1);
  });
});

describe('signing out during a refresh', () => {
  it('does not bring the session back when the refresh answers afterwards', async () => {
    const server = fakeServer(() => Date.now());
    const store = memoryTokenStore();
    const session = createSession({ store, client: server.client });
    await session.signIn(SERVER, USER.email, 'password');
    let release = () => {};
    server.holdRefresh(new Promise<void>((resolve) => (release = resolve)));
    const token = session.current()?.accessToken ?? '';
    const refreshing = session.refreshAfter(token);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await session.signOut();
    release();
    await expect(refreshing).rejects.toThrow(/signed out or in again meanwhile/);
    expect(session.state()).toEqual({ status: 'signed-out' });
    expect(await store.load()).toBeNull();
    // The token the late refresh obtained is handed back to the server, not kept.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.calls.logout).toHaveLength(2);
  });
});

describe('what counts as the server refusing a refresh', () => {
  async function refreshAnswered(status: number, body: string) {
    const store = memoryTokenStore();
    const fake = fakeServer(() => Date.now());
    const session = createSession({
      store,
      client: {
        ...fake.client,
        refresh: createAuthClient(async () => new Response(body, { status })).refresh,
      },
    });
    await session.signIn(SERVER, USER.email, 'password');
    const error = await session.refreshAfter(session.current()?.accessToken ?? '').catch((e: unknown) => e);
    return { error, state: session.state(), stored: await store.load() };
  }

  it.each([
    [429, '{"error":"too many requests"}'],
    [502, '<html>Bad gateway</html>'],
    [401, '<html>proxy says no</html>'],
    [200, '<html>captive portal</html>'],
  ])('%i %s: unavailable, the session kept', async (status, body) => {
    const { error, state, stored } = await refreshAnswered(status, body);
    expect(error).toBeInstanceOf(AuthUnavailableError);
    expect(state.status).toBe('signed-in');
    expect(stored?.tokens).not.toBeNull();
  });

  it('401 with the server’s refusal: needs sign-in, with its message, the user kept', async () => {
    const { error, state, stored } = await refreshAnswered(
      401,
      '{"error":"the refresh token has expired: sign in again","field":"refreshToken"}',
    );
    expect(error).toMatchObject({ name: 'SignInRequiredError' });
    expect(state).toEqual({
      status: 'needs-sign-in',
      serverUrl: SERVER,
      user: USER,
      reason: 'the refresh token has expired: sign in again',
    });
    expect(stored).toEqual({ serverUrl: SERVER, user: USER, tokens: null });
  });
});

describe('the token stores', () => {
  const folders: string[] = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  it('desktop: the session goes through window.crm and the validated IPC to the encrypted file, and back next run', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'fieldcrm-ipc-session-'));
    folders.push(folder);
    /** One run of the app: main's handlers over the file, the preload's API over them. */
    function run() {
      const listeners = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
      const sessionFile = createSessionFile({
        path: join(folder, 'session.bin'),
        cipher: {
          isAvailable: async () => true,
          encrypt: async (text) => Buffer.from(text).reverse(),
          decrypt: async (bytes) => ({ text: Buffer.from(bytes).reverse().toString(), stale: false }),
        },
      });
      registerHandlers(
        { handle: (channel, listener) => listeners.set(channel, listener) },
        {
          handlers: createHandlers({
            getVersion: () => '1',
            platform: 'linux',
            sessionFile,
            databaseKeyFile: { get: async () => null, forget: async () => {} },
          }),
          argSchemas: IPC_ARG_SCHEMAS,
          isTrustedUrl: (url) => isAppUrl(url, [APP_ORIGIN]),
        },
      );
      const api = createCrmApi(async (channel, ...args) =>
        listeners.get(channel)?.({ senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } }, ...args),
      );
      return desktopTokenStore(api.session);
    }
    const server = fakeServer(() => Date.now());
    const first = createSession({ store: run(), client: server.client });
    await first.signIn(`${SERVER}/`, USER.email, 'password');
    const next = createSession({ store: run(), client: server.client });
    expect(await next.restore()).toEqual({ status: 'signed-in', serverUrl: SERVER, user: USER });
    expect(next.current()?.accessToken).toBe(first.current()?.accessToken);
    await next.signOut();
    expect(await run().load()).toBeNull();
  });

  it('browser: reads anything that is not a session as signed out', async () => {
    const items = new Map<string, string>();
    const storage = {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    };
    const store = browserTokenStore(storage);
    for (const junk of ['{', '"text"', '{"serverUrl":"https://x.example"}', 'null']) {
      items.set('fieldcrm.session', junk);
      await expect(store.load()).resolves.toBeNull();
    }
    const session = createSession({ store, client: fakeServer(() => Date.now()).client });
    await session.signIn(SERVER, USER.email, 'password');
    expect(JSON.parse(items.get('fieldcrm.session') ?? '{}')).toMatchObject({ serverUrl: SERVER, user: USER });
  });
});
