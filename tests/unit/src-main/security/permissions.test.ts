import { describe, expect, it } from 'vitest';
import { isPermissionGranted } from '../../../../src-main/security/permissions';
import { APP_ORIGIN } from '../../../../src-main/security/trusted-url';

describe('isPermissionGranted', () => {
  it.each([
    ['clipboard-sanitized-write', 'fieldcrm://app/index.html', true],
    ['fullscreen', 'fieldcrm://app', true],
    ['clipboard-sanitized-write', 'https://evil.com/', false],
    ['media', 'fieldcrm://app/index.html', false],
    ['geolocation', 'fieldcrm://app/index.html', false],
    ['notifications', 'fieldcrm://app/index.html', true],
    ['notifications', 'https://evil.com/', false],
    ['openExternal', 'fieldcrm://app/index.html', false],
    ['clipboard-read', 'fieldcrm://app/index.html', false],
  ])('%s requested by %s → %s', (permission, url, granted) => {
    expect(isPermissionGranted(permission, url, [APP_ORIGIN])).toBe(granted);
  });
});
