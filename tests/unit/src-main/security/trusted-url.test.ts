import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  allowedExternalUrl,
  decideNavigation,
  decideWindowOpen,
  isAllowedExternalUrl,
  isAppUrl,
  originOf,
} from '../../../../src-main/security/trusted-url';

const DEV_ORIGIN = 'http://localhost:5173';
const HOSTS = ['fieldcrm.app', 'github.com'];

// Each row is a URL someone could use to pass for the app, with the expected verdict.
const APP_URL_CASES: readonly [url: string, trusted: boolean, why: string][] = [
  ['fieldcrm://app/index.html', true, 'the packaged renderer'],
  ['fieldcrm://app/contacts/42?tab=notes#top', true, 'a client-side route'],
  ['fieldcrm://app', true, 'the bare origin'],
  ['fieldcrm://app.evil.com/index.html', false, 'our host as a prefix of another'],
  ['fieldcrm://evil.com/fieldcrm://app/', false, 'our origin inside the path'],
  ['fieldcrm://app@evil.com/', false, 'our host as a username'],
  ['fieldcrm://evil.com@app/', false, 'credentials in front of our host'],
  ['fieldcrm://app:8080/', false, 'our host on a port'],
  ['fieldcrm://APP/', false, 'not canonical: Chromium lower-cases standard-scheme hosts'],
  ['fieldcrm:app/index.html', false, 'an opaque path, no host'],
  ['fieldcrm:///app/index.html', false, 'an empty host'],
  ['fieldcrms://app/', false, 'a look-alike scheme'],
  ['file:///app/index.html', false, 'a local file'],
  ['https://app/', false, 'same host, other scheme'],
  ['http://localhost:5173/', false, 'the dev server when only the packaged origin is trusted'],
  ['javascript:alert(1)//fieldcrm://app/', false, 'a script URL'],
  ['data:text/html,<script>fieldcrm://app</script>', false, 'a data URL'],
  ['about:blank', false, 'about:blank'],
  [' fieldcrm://app/', false, 'leading whitespace the parser would strip'],
  ['fieldcrm://app/\u0000', false, 'a NUL byte'],
  ['fieldcrm:\\\\app\\index.html', false, 'backslashes'],
  ['', false, 'empty'],
  ['not a url', false, 'unparseable'],
];

const DEV_URL_CASES: readonly [url: string, trusted: boolean, why: string][] = [
  ['http://localhost:5173/', true, 'the dev server'],
  ['http://localhost:5173/@vite/client', true, 'a dev server path'],
  ['http://localhost:51730/', false, 'our port as a prefix of another'],
  ['http://localhost:5173.evil.com/', false, 'our host:port as a subdomain'],
  ['http://localhost.evil.com:5173/', false, 'our host as a prefix of another'],
  ['http://evil.com/?http://localhost:5173/', false, 'our origin in the query'],
  ['http://127.0.0.1:5173/', false, 'same machine, different origin'],
  ['https://localhost:5173/', false, 'different scheme'],
  ['ws://localhost:5173/', false, 'the HMR socket is not a page'],
  ['fieldcrm://app/', false, 'the packaged origin when only the dev server is trusted'],
];

const EXTERNAL_CASES: readonly [url: string, allowed: boolean, why: string][] = [
  ['https://fieldcrm.app/help', true, 'an allow-listed host'],
  ['https://docs.fieldcrm.app/guide', true, 'a subdomain of an allow-listed host'],
  ['https://FIELDCRM.APP/', true, 'upper case, lower-cased by the parser'],
  ['https://github.com/org/repo', true, 'another allow-listed host'],
  ['http://fieldcrm.app/', false, 'plain http'],
  ['https://fieldcrm.app.evil.com/', false, 'allow-listed host as a prefix'],
  ['https://evilfieldcrm.app/', false, 'allow-listed host as a suffix without a dot'],
  ['https://evil.com/fieldcrm.app', false, 'allow-listed host in the path'],
  ['https://evil.com/?u=https://fieldcrm.app', false, 'allow-listed host in the query'],
  ['https://evil.com#https://fieldcrm.app', false, 'allow-listed host in the fragment'],
  ['https://fieldcrm.app@evil.com/', false, 'allow-listed host as a username'],
  ['https://user:pass@fieldcrm.app/', false, 'credentials'],
  ['https://fieldcrm.app:8443/', false, 'an explicit port'],
  ['https://fieldcrm.app%2eevil.com/', false, 'an encoded dot the parser decodes'],
  ['https://f\u0456eldcrm.app/', false, 'a Cyrillic look-alike (punycoded by the parser)'],
  ['https://fieldcrm.app./', false, 'a trailing dot'],
  ['https:\\\\evil.com\\fieldcrm.app', false, 'backslashes'],
  ['https://evil.com\\@fieldcrm.app/', false, 'backslash before the at sign'],
  ['https://fieldcrm.app\t.evil.com/', false, 'a tab the parser would strip'],
  ['javascript://fieldcrm.app/%0aalert(1)', false, 'a script URL dressed as a link'],
  ['file:///etc/passwd', false, 'a local file'],
  ['smb://fieldcrm.app/share', false, 'another protocol the OS would hand to a handler'],
  ['fieldcrm://app/', false, 'our own scheme'],
  ['mailto:someone@fieldcrm.app', false, 'mail links are not on the allow-list'],
];

describe('isAppUrl', () => {
  it.each(APP_URL_CASES)('%s → %s (%s)', (url, trusted) => {
    expect(isAppUrl(url, [APP_ORIGIN])).toBe(trusted);
  });

  it.each(DEV_URL_CASES)('in development %s → %s (%s)', (url, trusted) => {
    expect(isAppUrl(url, [DEV_ORIGIN])).toBe(trusted);
  });

  it('trusts nothing when no origin is given', () => {
    expect(isAppUrl('fieldcrm://app/index.html', [])).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  it.each(EXTERNAL_CASES)('%s → %s (%s)', (url, allowed) => {
    expect(isAllowedExternalUrl(url, HOSTS)).toBe(allowed);
  });

  it('returns the canonical href, which is what the OS is given', () => {
    expect(allowedExternalUrl('https:FIELDCRM.app/a b', HOSTS)).toBeNull();
    expect(allowedExternalUrl('https://FIELDCRM.app/a%20b', HOSTS)).toBe('https://fieldcrm.app/a%20b');
    expect(allowedExternalUrl('https:fieldcrm.app/x', HOSTS)).toBe('https://fieldcrm.app/x');
  });

  it('allows nothing with an empty allow-list', () => {
    expect(isAllowedExternalUrl('https://fieldcrm.app/', [])).toBe(false);
  });
});

describe('originOf', () => {
  it('builds scheme://host[:port], which URL.origin does not for custom schemes', () => {
    expect(new URL('fieldcrm://app/x').origin).toBe('null');
    expect(originOf('fieldcrm://app/x')).toBe('fieldcrm://app');
    expect(originOf('http://localhost:5173/x?y')).toBe('http://localhost:5173');
    expect(originOf('https://a.b:443/')).toBe('https://a.b');
    expect(originOf('fieldcrm:opaque')).toBeNull();
    expect(originOf('https://u@a.b/')).toBeNull();
  });
});

describe('link decisions', () => {
  const policy = { appOrigins: [APP_ORIGIN], externalHosts: HOSTS };

  it('lets the window navigate within the app only', () => {
    expect(decideNavigation('fieldcrm://app/contacts', policy)).toEqual({ action: 'allow' });
    expect(decideNavigation('https://evil.com/', policy)).toEqual({ action: 'deny' });
    expect(decideNavigation('file:///etc/passwd', policy)).toEqual({ action: 'deny' });
  });

  it('sends allow-listed links to the browser instead of navigating', () => {
    expect(decideNavigation('https://fieldcrm.app/help', policy)).toEqual({
      action: 'open-external',
      url: 'https://fieldcrm.app/help',
    });
  });

  it('never opens a second app window', () => {
    expect(decideWindowOpen('fieldcrm://app/index.html', policy)).toEqual({ action: 'deny' });
    expect(decideWindowOpen('https://evil.com/', policy)).toEqual({ action: 'deny' });
    expect(decideWindowOpen('https://github.com/x', policy)).toEqual({
      action: 'open-external',
      url: 'https://github.com/x',
    });
  });
});
