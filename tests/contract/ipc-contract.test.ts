import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { type AppInfo, IPC_CHANNELS, isIpcChannel, type StoredSession } from '../../src-shared/ipc/contract';
import { type CrmApi, createCrmApi, splitChannel } from '../../src-shared/ipc/crm-api';

// The real `electron` module cannot load under Node (it tries to download the binary), so the two
// objects the preload touches are replaced by recorders; the preload module itself runs unchanged.
const bridge = vi.hoisted(() => ({
  exposed: [] as { key: string; api: unknown }[],
  invoked: [] as { channel: string; args: unknown[] }[],
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.push({ key, api }),
  },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      bridge.invoked.push({ channel, args });
      return { channel };
    },
  },
}));

/** Every function reachable in `api` as `area.verb`, failing on anything that is not a plain function tree. */
function functionPaths(api: unknown): string[] {
  const paths: string[] = [];
  if (typeof api !== 'object' || api === null) throw new Error('the exposed API is not an object');
  for (const [area, verbs] of Object.entries(api)) {
    if (typeof verbs !== 'object' || verbs === null) throw new Error(`crm.${area} is not an object`);
    for (const [verb, fn] of Object.entries(verbs)) {
      expect(typeof fn, `crm.${area}.${verb}`).toBe('function');
      paths.push(`${area}.${verb}`);
    }
  }
  return paths.sort();
}

const contractPaths = IPC_CHANNELS.map((channel) => channel.replace(/^crm:/, '')).sort();

describe('the IPC contract', () => {
  it('names every channel crm:<area>.<verb>', () => {
    expect(IPC_CHANNELS.length).toBeGreaterThan(0);
    for (const channel of IPC_CHANNELS) {
      expect(channel).toMatch(/^crm:[a-z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/);
      expect(splitChannel(channel)).not.toBeNull();
    }
  });

  it('lists each channel once', () => {
    expect(new Set(IPC_CHANNELS).size).toBe(IPC_CHANNELS.length);
  });

  it('recognises only its own channels', () => {
    expect(isIpcChannel('crm:app.getInfo')).toBe(true);
    expect(isIpcChannel('crm:session.save')).toBe(true);
    expect(isIpcChannel('crm:app.quit')).toBe(false);
    expect(isIpcChannel('crm:session.refreshToken')).toBe(false);
    expect(isIpcChannel('toString')).toBe(false);
    expect(isIpcChannel('__proto__')).toBe(false);
  });

  it('derives window.crm’s type from the contract', () => {
    expectTypeOf<CrmApi['app']['getInfo']>().toEqualTypeOf<() => Promise<AppInfo>>();
    expectTypeOf<CrmApi['session']['load']>().toEqualTypeOf<() => Promise<StoredSession | null>>();
    expectTypeOf<CrmApi['session']['save']>().toEqualTypeOf<(session: StoredSession) => Promise<undefined>>();
    expectTypeOf<CrmApi['session']['clear']>().toEqualTypeOf<() => Promise<undefined>>();
    expectTypeOf<CrmApi['keys']['databaseKey']>().toEqualTypeOf<
      (databaseName: string, existing: boolean) => Promise<string | null>
    >();
    expectTypeOf<CrmApi['export']['cancel']>().toEqualTypeOf<(exportId: string) => Promise<{ cancelled: boolean }>>();
    expectTypeOf<keyof CrmApi>().toEqualTypeOf<'app' | 'session' | 'keys' | 'export'>();
  });
});

describe('createCrmApi', () => {
  it('forwards each function to its own channel with its arguments', async () => {
    const calls: { channel: string; args: unknown[] }[] = [];
    const api = createCrmApi(async (channel, ...args) => {
      calls.push({ channel, args });
      return null;
    });
    await api.app.getInfo();
    expect(calls).toEqual([{ channel: 'crm:app.getInfo', args: [] }]);
  });

  it('is frozen, so the page cannot swap a function for another channel', () => {
    const api = createCrmApi(async () => null);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.app)).toBe(true);
  });
});

describe('the preload', () => {
  it('exposes one object, window.crm, with exactly the contract’s channels', async () => {
    await import('../../src-main/preload/index');
    expect(bridge.exposed.map(({ key }) => key)).toEqual(['crm']);
    const api = bridge.exposed[0]?.api;
    expect(functionPaths(api)).toEqual(contractPaths);
  });

  it('calls ipcRenderer.invoke on the matching channel and nothing else', async () => {
    await import('../../src-main/preload/index');
    const api = bridge.exposed[0]?.api;
    bridge.invoked.length = 0;
    for (const path of contractPaths) {
      const [area = '', verb = ''] = path.split('.');
      const fn: unknown = Reflect.get(Reflect.get(Object(api), area), verb);
      if (typeof fn !== 'function') throw new Error(`crm.${path} is not a function`);
      await expect(fn()).resolves.toEqual({ channel: `crm:${path}` });
    }
    expect(bridge.invoked.map(({ channel }) => channel).sort()).toEqual([...IPC_CHANNELS].sort());
  });
});
