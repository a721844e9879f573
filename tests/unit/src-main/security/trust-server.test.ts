import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IPC_ARG_SCHEMAS } from '../../../../src-main/ipc/ipc-args';
import { LOCAL_SERVER_SOURCES } from '../../../../src-main/security/csp';
import { serverSources, sourcesAllowOrigin, trustableServerOrigin } from '../../../../src-main/security/server-origins';
import { createServerTrust, trustDialogOptions } from '../../../../src-main/security/trust-server';
import { createTrustedServersFile } from '../../../../src-main/session/trusted-servers-file';

describe('trustableServerOrigin', () => {
  it.each([
    ['https://crm.example.com', 'https://crm.example.com'],
    ['https://crm.example.com/', 'https://crm.example.com'],
    ['https://CRM.Example.COM:8443', 'https://crm.example.com:8443'],
    ['http://10.0.0.5:3300', 'http://10.0.0.5:3300'],
    ['http://[::1]:3300', 'http://[::1]:3300'],
    ['https://crm.exämple.com', 'https://crm.xn--exmple-cua.com'],
  ])('accepts %s as %s', (raw, origin) => {
    expect(trustableServerOrigin(raw)).toBe(origin);
    expect(IPC_ARG_SCHEMAS['crm:session.trustServer'].safeParse([raw]).success).toBe(true);
  });

  it.each([
    ['a path', 'https://crm.example.com/sync'],
    ['a path hidden by a dot segment', 'https://crm.example.com/x/..'],
    ['a query', 'https://crm.example.com?next=https://evil.example'],
    ['a fragment', 'https://crm.example.com#evil'],
    ['credentials that read as the host', 'https://crm.example.com@evil.example'],
    ['a user and password', 'https://user:pass@crm.example.com'],
    ['a wildcard host', 'https://*.example.com'],
    ['a space that splits the CSP source', 'https://crm.example.com https://evil.example'],
    ['a semicolon that starts a directive', 'https://crm.example.com;script-src'],
    ['a tab the parser would drop', 'https://crm.exa\tmple.com'],
    ['a backslash read as a slash', 'https://evil.example\\@crm.example.com'],
    ['a leading space', ' https://crm.example.com'],
    ['a WebSocket scheme', 'wss://crm.example.com'],
    ['javascript', 'javascript:alert(1)'],
    ['a file', 'file:///etc/passwd'],
    ['the app scheme', 'fieldcrm://app'],
    ['no scheme', 'crm.example.com'],
    ['a scheme only', 'https:'],
    ['a quote', "https://crm.example.com'"],
    ['an empty string', ''],
    ['a very long host', `https://${'a'.repeat(2100)}.example.com`],
  ])('refuses %s: %s', (_what, raw) => {
    expect(trustableServerOrigin(raw)).toBeNull();
    expect(IPC_ARG_SCHEMAS['crm:session.trustServer'].safeParse([raw]).success).toBe(false);
  });

  it('the IPC schema takes exactly one string', () => {
    const schema = IPC_ARG_SCHEMAS['crm:session.trustServer'];
    expect(schema.safeParse([]).success).toBe(false);
    expect(schema.safeParse(['https://a.example.com', 'https://b.example.com']).success).toBe(false);
    expect(schema.safeParse([{ toString: () => 'https://a.example.com' }]).success).toBe(false);
  });
});

describe('sourcesAllowOrigin', () => {
  const sources = [...LOCAL_SERVER_SOURCES, ...serverSources(['https://crm.example.com'])];
  it.each([
    ['https://crm.example.com', true],
    ['http://127.0.0.1:3300', true],
    ['http://localhost:5173', true],
    ['https://crm.example.com:444', false],
    ['http://crm.example.com', false],
    ['https://evil.example', false],
    ['http://127.0.0.1.evil.example:80', false],
  ] as const)('%s → %s', (origin, allowed) => {
    expect(sourcesAllowOrigin(sources, origin)).toBe(allowed);
  });
});

describe('the trust-server flow', () => {
  function flow(options: { allowed?: string[]; answer?: boolean } = {}) {
    const calls: string[] = [];
    const trust = createServerTrust({
      isAllowed: async (origin) => (options.allowed ?? []).includes(origin),
      confirm: async (origin) => {
        calls.push(`confirm ${origin}`);
        return options.answer ?? false;
      },
      remember: async (origin) => {
        calls.push(`remember ${origin}`);
      },
      apply: async () => {
        calls.push('apply');
      },
    });
    return { trust, calls };
  }

  it('asks nothing for a server the policy already allows', async () => {
    const { trust, calls } = flow({ allowed: ['https://crm.example.com'] });
    expect(await trust('https://crm.example.com/')).toEqual({ trusted: true, reloading: false });
    expect(calls).toEqual([]);
  });

  it('names the origin in the dialog; a no stores nothing, a yes stores it, rebuilds and reloads', async () => {
    const declined = flow({ answer: false });
    expect(await declined.trust('https://new.example.com')).toEqual({ trusted: false, reloading: false });
    expect(declined.calls).toEqual(['confirm https://new.example.com']);
    const accepted = flow({ answer: true });
    expect(await accepted.trust('https://new.example.com')).toEqual({ trusted: true, reloading: true });
    expect(accepted.calls).toEqual(['confirm https://new.example.com', 'remember https://new.example.com', 'apply']);
  });

  it('refuses a misleading URL before any dialog, even called past the IPC check', async () => {
    const { trust, calls } = flow({ answer: true });
    await expect(trust('https://crm.example.com@evil.example')).rejects.toThrow(/not an http\(s\) origin/);
    expect(calls).toEqual([]);
  });

  it('the dialog names the origin and defaults to Cancel', () => {
    const options = trustDialogOptions('https://new.example.com');
    expect(options.message).toContain('https://new.example.com');
    expect(options.buttons[options.defaultId]).toBe('Cancel');
    expect(options.buttons[options.cancelId]).toBe('Cancel');
    expect(options.buttons[1]).toBe('Trust this server');
  });
});

describe('the trusted servers file', () => {
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps confirmed origins across loads and ignores anything else an edit put in it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'trusted-'));
    const path = join(dir, 'profile', 'trusted-servers.json');
    const warnings: string[] = [];
    const file = createTrustedServersFile({ path, warn: (m) => warnings.push(m) });
    expect(await file.load()).toEqual([]);
    expect(await file.add('https://new.example.com/')).toEqual(['https://new.example.com']);
    expect(await file.add('https://new.example.com')).toEqual(['https://new.example.com']);
    await expect(file.add('https://new.example.com/path')).rejects.toThrow(/not an http\(s\) origin/);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ origins: ['https://new.example.com'] });

    await writeFile(path, JSON.stringify({ origins: ['https://new.example.com', '*', 'https://a@b.example', 42] }));
    expect(await createTrustedServersFile({ path, warn: (m) => warnings.push(m) }).load()).toEqual([
      'https://new.example.com',
    ]);
    expect(warnings).toHaveLength(3);
    await writeFile(path, 'not json');
    expect(await createTrustedServersFile({ path, warn: (m) => warnings.push(m) }).load()).toEqual([]);
  });
});
