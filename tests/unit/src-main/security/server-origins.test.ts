import { describe, expect, it, vi } from 'vitest';
import { serverSources } from '../../../../src-main/security/server-origins';

describe('sync server sources for connect-src', () => {
  it('adds the exact origin and its WebSocket twin', () => {
    expect(serverSources(['https://crm.example.com/api/'])).toEqual([
      'https://crm.example.com',
      'wss://crm.example.com',
    ]);
    expect(serverSources(['http://10.0.0.5:8787'])).toEqual(['http://10.0.0.5:8787', 'ws://10.0.0.5:8787']);
  });

  it('reads a comma-separated list and the stored session, without duplicates', () => {
    expect(
      serverSources(['https://a.example.com, https://b.example.com', undefined, 'https://a.example.com/x']),
    ).toEqual(['https://a.example.com', 'wss://a.example.com', 'https://b.example.com', 'wss://b.example.com']);
  });

  it('never widens the policy with schemes, wildcards or other protocols', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(
      serverSources(['https:', '*', 'javascript:alert(1)', 'file:///etc/passwd', 'ftp://x.example.com', '']),
    ).toEqual([]);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});
