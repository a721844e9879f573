import { describe, expect, it } from 'vitest';
import {
  buildCsp,
  buildCspMetaContent,
  cspDirectives,
  cspMetaTag,
  LOCAL_SERVER_SOURCES,
} from '../../../../src-main/security/csp';

/** Parses a serialized policy back into directive → sources, to assert on what a browser reads. */
function parsePolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(directives.has(name), `directive ${name} appears twice`).toBe(false);
    directives.set(name, sources);
  }
  return directives;
}

const production = parsePolicy(buildCsp({ mode: 'production', connectSources: LOCAL_SERVER_SOURCES }));
const development = parsePolicy(
  buildCsp({ mode: 'development', devServerOrigin: 'http://localhost:5173', connectSources: LOCAL_SERVER_SOURCES }),
);

describe('production CSP', () => {
  it('denies by default', () => {
    expect(production.get('default-src')).toEqual(["'none'"]);
  });

  it('runs only the app’s own scripts: no inline script, no eval, no remote origin', () => {
    expect(production.get('script-src')).toEqual(["'self'"]);
  });

  it('allows no inline styles', () => {
    expect(production.get('style-src')).toEqual(["'self'"]);
  });

  it('blocks plugins, frames, framing, base rewriting and form posts', () => {
    expect(production.get('object-src')).toEqual(["'none'"]);
    expect(production.get('frame-src')).toEqual(["'none'"]);
    expect(production.get('frame-ancestors')).toEqual(["'none'"]);
    expect(production.get('base-uri')).toEqual(["'none'"]);
    expect(production.get('form-action')).toEqual(["'none'"]);
  });

  it('connects only to itself and the given sync server sources', () => {
    expect(production.get('connect-src')).toEqual(["'self'", ...LOCAL_SERVER_SOURCES]);
  });

  it('has no wildcard or unsafe source anywhere', () => {
    for (const [name, sources] of production) {
      for (const source of sources) {
        expect(source, name).not.toMatch(/unsafe-|^\*$|^https?:$|^wss?:$/);
      }
    }
  });

  it('ignores a dev server origin outside development', () => {
    const policy = buildCsp({ mode: 'production', devServerOrigin: 'http://localhost:5173' });
    expect(policy).not.toContain('localhost:5173');
  });
});

describe('development CSP', () => {
  it('adds only what Vite needs: inline preamble, injected styles and the HMR socket', () => {
    expect(development.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(development.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(development.get('connect-src')).toEqual([
      "'self'",
      ...LOCAL_SERVER_SOURCES,
      'http://localhost:5173',
      'ws://localhost:5173',
    ]);
  });

  it('still refuses eval and plugins', () => {
    expect(development.get('script-src')).not.toContain("'unsafe-eval'");
    expect(development.get('object-src')).toEqual(["'none'"]);
  });
});

describe('CSP as a <meta> tag', () => {
  it('drops the directives a meta policy may not carry', () => {
    const meta = parsePolicy(buildCspMetaContent({ mode: 'production' }));
    expect(meta.has('frame-ancestors')).toBe(false);
    expect(meta.get('script-src')).toEqual(["'self'"]);
    expect(meta.get('default-src')).toEqual(["'none'"]);
  });

  it('renders a well-formed http-equiv tag', () => {
    const tag = cspMetaTag({ mode: 'production' });
    expect(tag).toMatch(/^<meta http-equiv="Content-Security-Policy" content="[^"<>]+">$/);
    expect(tag).toContain("script-src 'self'");
  });

  it('lists every directive the header has except the header-only ones', () => {
    const header = Object.keys(cspDirectives({ mode: 'production' }));
    const meta = [...parsePolicy(buildCspMetaContent({ mode: 'production' })).keys()];
    expect(meta).toEqual(header.filter((name) => name !== 'frame-ancestors'));
  });
});
