/**
 * The sync servers the renderer may connect to, for the CSP's connect-src. A packaged app talks to
 * its organisation's server, which is not known when the app is built: it comes from the
 * environment (FIELDCRM_SYNC_URL, comma-separated, set by whoever deploys the app) and from the
 * session the user last signed in with. Only exact origins are added, never a scheme or wildcard,
 * so an injected script still cannot send data to a host of its choosing.
 */
export function serverSources(urls: readonly (string | undefined)[]): string[] {
  const sources = new Set<string>();
  for (const raw of urls.flatMap((u) => (u ?? '').split(','))) {
    const text = raw.trim();
    if (!text) continue;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      console.warn(`[csp] ignoring sync server "${text}": not a URL`);
      continue;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      console.warn(`[csp] ignoring sync server "${text}": only http(s) servers`);
      continue;
    }
    sources.add(url.origin);
    // The live stream is a WebSocket on the same host.
    sources.add(`${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`);
  }
  return [...sources];
}

/** A DNS name (after the URL parser lower-cased and punycoded it), an IPv4 address, or a bracketed IPv6 one. */
const SAFE_HOSTNAME =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;

/**
 * The origin a user may be asked to trust, or null. Only what the dialog can name in full: an
 * http(s) origin and nothing else, because the origin is what goes into connect-src, and a path,
 * query, fragment or credentials would let a URL read as one server while naming another
 * (`https://crm.example.com@evil.example`). Whitespace and control characters are refused before
 * parsing (the parser would drop them, so the string judged would not be the one shown), as are
 * hosts a CSP source list would read as a wildcard or as several sources.
 */
export function trustableServerOrigin(raw: string): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (raw.length > 2048 || /[\u0000-\u0020\u007f\\]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return null;
  // `https://crm.example.com/` is the same origin; anything after the slash is not.
  if (!/^https?:\/\/[^/?#]+\/?$/i.test(raw)) return null;
  if (!SAFE_HOSTNAME.test(url.hostname)) return null;
  return url.origin;
}

/**
 * Whether a connect-src source list lets the renderer reach `origin`: an exact source, or a
 * `scheme://host:*` source (the local server on any port). Nothing broader is ever in the list.
 */
export function sourcesAllowOrigin(sources: readonly string[], origin: string): boolean {
  return sources.some(
    (source) =>
      source === origin ||
      (source.endsWith(':*') &&
        origin.startsWith(source.slice(0, -1)) &&
        /^\d+$/.test(origin.slice(source.length - 1))),
  );
}
