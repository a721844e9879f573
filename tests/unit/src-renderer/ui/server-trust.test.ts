import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../../../src-main/ipc/handlers';
import { IPC_ARG_SCHEMAS } from '../../../../src-main/ipc/ipc-args';
import { createServerTrust } from '../../../../src-main/security/trust-server';
import { SignInInputError } from '../../../../src-renderer/sync/auth-client';
import { ensureServerTrusted } from '../../../../src-renderer/ui/server-trust';
import { createCrmApi } from '../../../../src-shared/ipc/crm-api';

/** window.crm wired to main's real argument schemas and handler, with the dialog answered by `answer`. */
function desktop(answer: boolean, allowed: string[] = []) {
  const asked: string[] = [];
  const handlers = createHandlers({
    getVersion: () => '0',
    platform: 'linux',
    sessionFile: { load: async () => null, save: async () => undefined, clear: async () => undefined },
    databaseKeyFile: { get: async () => null, forget: async () => {} },
    trustServer: createServerTrust({
      isAllowed: async (origin) => allowed.includes(origin),
      confirm: async (origin) => {
        asked.push(origin);
        return answer;
      },
      remember: async (origin) => {
        allowed.push(origin);
      },
      apply: async () => undefined,
    }),
  });
  const api = createCrmApi(async (channel, ...args) => {
    const parsed = IPC_ARG_SCHEMAS[channel].safeParse(args);
    if (!parsed.success) throw new Error(`rejected ${channel}`);
    return (handlers[channel] as (...a: unknown[]) => unknown)(...parsed.data);
  });
  return { session: api.session, asked };
}

describe('ensureServerTrusted', () => {
  it('asks main for the origin of the address typed, once; a yes reloads the window', async () => {
    const { session, asked } = desktop(true);
    expect(await ensureServerTrusted(' https://crm.example.com/ ', session)).toBe('reloading');
    expect(asked).toEqual(['https://crm.example.com']);
    expect(await ensureServerTrusted('https://crm.example.com', session)).toBe('allowed');
    expect(asked).toHaveLength(1);
  });

  it('sends only the origin, never the path or credentials of what was typed', async () => {
    const { session, asked } = desktop(true);
    await ensureServerTrusted('https://crm.example.com/api/v1?x=1', session);
    await ensureServerTrusted('https://user:secret@other.example.com', session);
    expect(asked).toEqual(['https://crm.example.com', 'https://other.example.com']);
  });

  it('a no stops sign-in with the server address marked', async () => {
    const { session } = desktop(false);
    const error = await ensureServerTrusted('https://crm.example.com', session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInInputError);
    expect((error as SignInInputError).field).toBe('serverUrl');
    expect((error as Error).message).toContain('https://crm.example.com is not trusted');
  });

  it('leaves what is not an http(s) URL to the auth client, and does nothing in the browser', async () => {
    const { session, asked } = desktop(true);
    expect(await ensureServerTrusted('not a url', session)).toBe('allowed');
    expect(await ensureServerTrusted('ftp://crm.example.com', session)).toBe('allowed');
    expect(asked).toEqual([]);
    expect(await ensureServerTrusted('https://crm.example.com', undefined)).toBe('not-desktop');
  });
});
