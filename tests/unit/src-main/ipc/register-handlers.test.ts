import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../../../src-main/ipc/handlers';
import { IPC_ARG_SCHEMAS } from '../../../../src-main/ipc/ipc-args';
import {
  type InvokeEvent,
  type IpcMainLike,
  IpcRejectedError,
  registerHandlers,
} from '../../../../src-main/ipc/register-handlers';
import { APP_ORIGIN, isAppUrl } from '../../../../src-main/security/trusted-url';
import type { SessionFile } from '../../../../src-main/session/session-file';
import { IPC_CHANNELS, type StoredSession } from '../../../../src-shared/ipc/contract';

type Listener = (event: InvokeEvent, ...args: unknown[]) => unknown;

/** Records what registerHandlers asks of ipcMain, and lets the test invoke a channel as Electron would. */
function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      expect(listeners.has(channel), `${channel} registered twice`).toBe(false);
      listeners.set(channel, listener);
    },
  };
  const invoke = async (channel: string, event: InvokeEvent, ...args: unknown[]) => {
    const listener = listeners.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener(event, ...args);
  };
  return { ipcMain, listeners, invoke };
}

const mainFrame = (url: string): InvokeEvent => ({ senderFrame: { url, parent: null } });
const subFrame = (url: string): InvokeEvent => ({ senderFrame: { url, parent: { url: 'fieldcrm://app/' } } });

/** A session file kept in memory: these tests are about the IPC checks, not the file. */
function memorySessionFile(): SessionFile {
  let stored: StoredSession | null = null;
  return {
    load: async () => stored,
    save: async (session) => {
      stored = session;
    },
    clear: async () => {
      stored = null;
    },
  };
}

function setUp() {
  const fake = fakeIpcMain();
  registerHandlers(fake.ipcMain, {
    handlers: createHandlers({
      getVersion: () => '1.2.3',
      platform: 'linux',
      sessionFile: memorySessionFile(),
      databaseKeyFile: { get: async () => null, forget: async () => {} },
    }),
    argSchemas: IPC_ARG_SCHEMAS,
    isTrustedUrl: (url) => isAppUrl(url, [APP_ORIGIN]),
  });
  return fake;
}

async function rejection(promise: Promise<unknown>): Promise<IpcRejectedError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof IpcRejectedError)) throw new Error(`expected an IpcRejectedError, got ${String(error)}`);
  return error;
}

describe('registerHandlers', () => {
  it('registers exactly the contract channels', () => {
    expect([...setUp().listeners.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
  });

  it('answers the app’s main frame', async () => {
    const { invoke } = setUp();
    await expect(invoke('crm:app.getInfo', mainFrame('fieldcrm://app/index.html'))).resolves.toEqual({
      version: '1.2.3',
      platform: 'linux',
    });
  });

  it.each([
    ['a foreign origin', mainFrame('https://evil.com/'), 'untrusted-origin'],
    ['a look-alike origin', mainFrame('fieldcrm://app.evil.com/'), 'untrusted-origin'],
    ['a local file', mainFrame('file:///tmp/x.html'), 'untrusted-origin'],
    ['an iframe, even of our origin', subFrame('fieldcrm://app/index.html'), 'subframe'],
    ['a destroyed frame', { senderFrame: null }, 'no-sender-frame'],
  ] as const)('refuses %s', async (_name, event, reason) => {
    const { invoke } = setUp();
    const error = await rejection(Promise.resolve(invoke('crm:app.getInfo', event)));
    expect(error.reason).toBe(reason);
    expect(error.channel).toBe('crm:app.getInfo');
  });

  it('refuses arguments the contract does not declare', async () => {
    const { invoke } = setUp();
    const error = await rejection(
      Promise.resolve(invoke('crm:app.getInfo', mainFrame('fieldcrm://app/'), { __proto__: { admin: true } })),
    );
    expect(error.reason).toBe('invalid-arguments');
  });

  it('does not call the handler when a check fails', async () => {
    let calls = 0;
    const fake = fakeIpcMain();
    registerHandlers(fake.ipcMain, {
      handlers: {
        ...createHandlers({
          getVersion: () => '0',
          platform: 'x',
          sessionFile: memorySessionFile(),
          databaseKeyFile: { get: async () => null, forget: async () => {} },
        }),
        'crm:app.getInfo': () => {
          calls += 1;
          return { version: '0', platform: 'x' };
        },
      },
      argSchemas: IPC_ARG_SCHEMAS,
      isTrustedUrl: (url) => isAppUrl(url, [APP_ORIGIN]),
    });
    await fake.invoke('crm:app.getInfo', mainFrame('https://evil.com/')).catch(() => undefined);
    await fake.invoke('crm:app.getInfo', mainFrame('fieldcrm://app/'), 1).catch(() => undefined);
    expect(calls).toBe(0);
    await fake.invoke('crm:app.getInfo', mainFrame('fieldcrm://app/'));
    expect(calls).toBe(1);
  });
});

describe('the session channels', () => {
  const app = mainFrame('fieldcrm://app/index.html');
  const session: StoredSession = {
    serverUrl: 'https://crm.example.com',
    user: { id: 'u_rep', email: 'rep@example.com', firstName: 'Rita', lastName: 'Rep', roleId: 'role_rep' },
    tokens: {
      accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1X3JlcCJ9.c2lnbmF0dXJl',
      accessTokenExpiresAt: '2026-04-01T09:15:00.000Z',
      refreshToken: `fcrt_${'A'.repeat(43)}`,
    },
  };

  it('saves, loads and clears the session for the app’s main frame', async () => {
    const { invoke } = setUp();
    await expect(invoke('crm:session.load', app)).resolves.toBeNull();
    await invoke('crm:session.save', app, session);
    await expect(invoke('crm:session.load', app)).resolves.toEqual(session);
    await invoke('crm:session.save', app, { ...session, tokens: null });
    await expect(invoke('crm:session.load', app)).resolves.toEqual({ ...session, tokens: null });
    await invoke('crm:session.clear', app);
    await expect(invoke('crm:session.load', app)).resolves.toBeNull();
  });

  it('gives the session to no other frame', async () => {
    const { invoke } = setUp();
    await invoke('crm:session.save', app, session);
    expect((await rejection(Promise.resolve(invoke('crm:session.load', mainFrame('https://evil.com/'))))).reason).toBe(
      'untrusted-origin',
    );
    const fromIframe = await rejection(Promise.resolve(invoke('crm:session.load', subFrame('fieldcrm://app/'))));
    expect(fromIframe.reason).toBe('subframe');
  });

  it.each([
    ['no session', []],
    ['two sessions', [session, session]],
    ['a string', ['{"serverUrl":"x"}']],
    ['an unknown field', [{ ...session, admin: true }]],
    ['a refresh token of the wrong shape', [{ ...session, tokens: { ...session.tokens, refreshToken: 'secret' } }]],
    ['a file: server', [{ ...session, serverUrl: 'file:///etc/passwd' }]],
    ['a megabyte name', [{ ...session, user: { ...session.user, firstName: 'x'.repeat(1 << 20) } }]],
    ['a user without an id', [{ ...session, user: { ...session.user, id: '' } }]],
  ] as const)('refuses to save %s, naming the problem', async (_name, args) => {
    const { invoke } = setUp();
    const error = await rejection(Promise.resolve(invoke('crm:session.save', app, ...args)));
    expect(error.reason).toBe('invalid-arguments');
    expect(error.detail.length).toBeGreaterThan(0);
    await expect(invoke('crm:session.load', app)).resolves.toBeNull();
  });
});
