/**
 * Pure predicates deciding which URLs the app trusts. Kept free of Electron so that the table of
 * misleading URLs in tests/unit/src-main/security/trusted-url.test.ts runs under plain Node (the
 * approach of Actual Budget's `desktop-electron/trusted-url.ts` and VS Code's IPC origin checks).
 *
 * Both predicates parse with WHATWG `URL` and compare parsed parts, never string prefixes: a prefix
 * check accepts `https://fieldcrm.app.evil.com` or `https://fieldcrm.app@evil.com`.
 */

/** The scheme and host the packaged renderer is served from (see src-main/protocol/app-protocol.ts). */
export const APP_SCHEME = 'fieldcrm';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Hosts whose https links the renderer may open in the user's browser (a host also covers its
 * subdomains). Everything else is refused: `shell.openExternal` hands the URL to the OS, which
 * would also run `file:`, `smb:` or custom-scheme handlers.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['fieldcrm.app', 'github.com'];

function parse(raw: string): URL | null {
  // Control characters and whitespace are stripped by the URL parser, so a URL containing them
  // would be judged on a different string than the one the caller logs or shows.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (/[\u0000-\u0020\u007f\\]/.test(raw)) return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * `scheme://host[:port]` of a hierarchical URL. `URL.origin` cannot be used: Node returns `"null"`
 * for schemes it does not know, such as ours.
 */
export function originOf(raw: string): string | null {
  const url = parse(raw);
  if (!url || url.host === '' || url.username !== '' || url.password !== '') return null;
  return `${url.protocol}//${url.host}`;
}

/**
 * Whether `raw` belongs to one of the app's own origins: the packaged app origin, or in development
 * the renderer dev server's origin (passed in by the composition root, only when unpackaged).
 */
export function isAppUrl(raw: string, appOrigins: readonly string[]): boolean {
  const origin = originOf(raw);
  return origin !== null && appOrigins.includes(origin);
}

/** Whether `hostname` is `allowed` or one of its subdomains (matched at a dot boundary). */
function hostMatches(hostname: string, allowed: string): boolean {
  return hostname === allowed || hostname.endsWith(`.${allowed}`);
}

/**
 * The canonical form of `raw` if it is an https link to an allow-listed host that may be opened
 * with `shell.openExternal`, else null. Refused: credentials (which hide the real host from a
 * reader), an explicit port, and hosts outside the allow-list after the parser has lower-cased and
 * punycoded them (a look-alike with a Cyrillic letter becomes `xn--…` and does not match). The
 * canonical href is what gets opened, so the OS never re-parses a sloppy string differently.
 */
export function allowedExternalUrl(raw: string, allowedHosts: readonly string[] = EXTERNAL_LINK_HOSTS): string | null {
  const url = parse(raw);
  if (!url) return null;
  if (url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (url.port !== '') return null;
  return allowedHosts.some((allowed) => hostMatches(url.hostname, allowed)) ? url.href : null;
}

export function isAllowedExternalUrl(raw: string, allowedHosts?: readonly string[]): boolean {
  return allowedExternalUrl(raw, allowedHosts) !== null;
}

/** What to do when a page tries to navigate or to open a window. */
export type LinkDecision =
  | { readonly action: 'allow' }
  | { readonly action: 'deny' }
  | { readonly action: 'open-external'; readonly url: string };

export interface LinkPolicy {
  readonly appOrigins: readonly string[];
  readonly externalHosts?: readonly string[];
}

function externalOrDeny(raw: string, policy: LinkPolicy): LinkDecision {
  const url = allowedExternalUrl(raw, policy.externalHosts);
  return url === null ? { action: 'deny' } : { action: 'open-external', url };
}

/**
 * In-window navigation: staying on the app's origin is allowed (reloads, hash routes); an
 * allow-listed link goes to the user's browser; anything else is blocked.
 */
export function decideNavigation(raw: string, policy: LinkPolicy): LinkDecision {
  return isAppUrl(raw, policy.appOrigins) ? { action: 'allow' } : externalOrDeny(raw, policy);
}

/** `window.open` / `target=_blank`: the app has one window, so it never opens a second one. */
export function decideWindowOpen(raw: string, policy: LinkPolicy): LinkDecision {
  return externalOrDeny(raw, policy);
}
