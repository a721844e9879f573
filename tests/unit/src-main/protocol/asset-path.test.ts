import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mimeTypeOf, resolveRendererAsset } from '../../../../src-main/protocol/asset-path';

const ROOT = resolve('/opt/fieldcrm/out/renderer');

describe('resolveRendererAsset', () => {
  it.each([
    ['fieldcrm://app/index.html', 'index.html'],
    ['fieldcrm://app/', 'index.html'],
    ['fieldcrm://app', 'index.html'],
    ['fieldcrm://app/assets/index-abc123.js', 'assets/index-abc123.js'],
    ['fieldcrm://app/assets/logo%20dark.svg', 'assets/logo dark.svg'],
    ['fieldcrm://app/contacts/42', 'index.html'],
    ['fieldcrm://app/contacts/42?tab=notes#x', 'index.html'],
  ])('%s → %s', (url, file) => {
    expect(resolveRendererAsset(ROOT, url)?.filePath).toBe(join(ROOT, file));
  });

  it.each([
    ['fieldcrm://app/..%2f..%2fetc%2fpasswd', 'encoded slashes'],
    ['fieldcrm://app/assets/..%2F..%2F..%2Fetc%2Fpasswd.txt', 'encoded upper-case slashes'],
    ['fieldcrm://app/..%5c..%5cwindows%5cwin.ini', 'encoded backslashes'],
    ['fieldcrm://app/%2e%2e%2f%2e%2e%2fsecret.json', 'encoded dots and slashes'],
    ['fieldcrm://app/index.html%00.js', 'a NUL byte'],
    ['fieldcrm://app/%E0%A4%A', 'malformed percent-encoding'],
    ['fieldcrm://evil/index.html', 'another host'],
    ['fieldcrm://app:99/index.html', 'a port'],
    ['fieldcrm://user@app/index.html', 'credentials'],
    ['https://app/index.html', 'another scheme'],
    ['not a url', 'unparseable'],
  ])('refuses %s (%s)', (url) => {
    expect(resolveRendererAsset(ROOT, url)).toBeNull();
  });

  it('keeps plain dot segments inside the root (the URL parser removes them)', () => {
    expect(resolveRendererAsset(ROOT, 'fieldcrm://app/../../etc/passwd.txt')?.filePath).toBe(
      join(ROOT, 'etc/passwd.txt'),
    );
  });

  it('names the MIME type Chromium needs for module scripts', () => {
    expect(resolveRendererAsset(ROOT, 'fieldcrm://app/assets/a.js')?.mimeType).toMatch(/^text\/javascript/);
    expect(resolveRendererAsset(ROOT, 'fieldcrm://app/')?.mimeType).toMatch(/^text\/html/);
    expect(mimeTypeOf('x.CSS')).toMatch(/^text\/css/);
    expect(mimeTypeOf('x.unknown')).toBe('application/octet-stream');
  });
});
