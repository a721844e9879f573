/**
 * The renderer's Content-Security-Policy, built as data so tests can read it directive by directive.
 *
 * Production is strict: only the app's own scripts and styles, no eval, no inline script, no
 * plugins, no frames, and network access only to the origins the sync client needs. Development
 * adds what Vite's dev server requires (the React Refresh preamble is an inline script, HMR talks
 * over a WebSocket) and nothing else.
 *
 * Delivery: Electron serves the packaged renderer through our own protocol handler, which sets the
 * policy as a response header (webRequest's header hooks do not run for custom protocols,
 * electron/electron#6021), and `session.webRequest.onHeadersReceived` sets it on http(s)
 * documents; the browser build carries it as a `<meta>` tag (see vite.web.config.ts).
 */

export type CspMode = 'production' | 'development';

export interface CspOptions {
  readonly mode: CspMode;
  /** Origins the renderer may fetch or open WebSockets to, e.g. the sync server. */
  readonly connectSources?: readonly string[];
  /** The Vite dev server origin (development only), for its HMR WebSocket. */
  readonly devServerOrigin?: string;
}

export type CspDirectives = Readonly<Record<string, readonly string[]>>;

/** The sync server on this machine; its deployed origin is added where it is configured. */
export const LOCAL_SERVER_SOURCES: readonly string[] = [
  'http://127.0.0.1:*',
  'ws://127.0.0.1:*',
  'http://localhost:*',
  'ws://localhost:*',
];

/** Directives a `<meta>` policy may not carry (CSP3 §6.1: browsers ignore them there, with a warning). */
const HEADER_ONLY_DIRECTIVES = new Set(['frame-ancestors', 'report-uri', 'report-to', 'sandbox']);

function webSocketOrigin(httpOrigin: string): string {
  return httpOrigin.replace(/^http(s?):/, 'ws$1:');
}

export function cspDirectives(options: CspOptions): CspDirectives {
  const dev = options.mode === 'development';
  const devOrigins =
    dev && options.devServerOrigin ? [options.devServerOrigin, webSocketOrigin(options.devServerOrigin)] : [];
  return {
    'default-src': ["'none'"],
    // React Refresh injects an inline module preamble in development only.
    'script-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    // Vite injects CSS through <style> tags in development; the build emits CSS files.
    'style-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...(options.connectSources ?? []), ...devOrigins],
    'worker-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
}

function serialize(directives: CspDirectives, keep: (name: string) => boolean): string {
  return Object.entries(directives)
    .filter(([name]) => keep(name))
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The value of a `Content-Security-Policy` response header. */
export function buildCsp(options: CspOptions): string {
  return serialize(cspDirectives(options), () => true);
}

/** The same policy for `<meta http-equiv="Content-Security-Policy">`, minus header-only directives. */
export function buildCspMetaContent(options: CspOptions): string {
  return serialize(cspDirectives(options), (name) => !HEADER_ONLY_DIRECTIVES.has(name));
}

/** A ready `<meta>` tag; the content is attribute-escaped although the builder emits no quotes. */
export function cspMetaTag(options: CspOptions): string {
  const content = buildCspMetaContent(options).replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  return `<meta http-equiv="Content-Security-Policy" content="${content}">`;
}
