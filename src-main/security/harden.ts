import { app, type Session, shell, type WebContents } from 'electron';
import { buildCsp, type CspOptions } from './csp';
import { isPermissionGranted } from './permissions';
import { decideNavigation, decideWindowOpen, isAppUrl, type LinkPolicy } from './trusted-url';

/**
 * Electron glue that applies the pure policies of this folder. Installed once for the whole app
 * (every web contents, not just the main window), in the spirit of VS Code's global guards.
 */
export function hardenApp(policy: LinkPolicy): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, policy));
}

function openExternal(url: string): void {
  shell.openExternal(url).catch((error: unknown) => {
    console.error(`[harden] could not open ${url} externally:`, error);
  });
}

function guardWebContents(contents: WebContents, policy: LinkPolicy): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());

  // target=_blank and window.open: never a new Electron window; allow-listed links go to the browser.
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url, policy);
    if (decision.action === 'open-external') openExternal(decision.url);
    return { action: 'deny' };
  });

  // Covers the main frame and subframes, link clicks and `location =` assignments; redirects of an
  // allowed navigation are checked again on `will-redirect`.
  const guard = (event: { url: string; preventDefault: () => void }): void => {
    const decision = decideNavigation(event.url, policy);
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'open-external') openExternal(decision.url);
  };
  contents.on('will-frame-navigate', guard);
  contents.on('will-redirect', guard);
}

/** Denies every permission request except the few the app itself needs. */
export function restrictPermissions(session: Session, appOrigins: readonly string[]): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl, appOrigins));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin, appOrigins),
  );
}

/**
 * Sets the CSP header on documents served over http(s) from the app's origins (the dev server in
 * development). The packaged app is served by src-main/protocol/app-protocol.ts, which sets the
 * same header itself because these hooks do not run for custom protocols.
 */
export function applyCspHeader(
  session: Session,
  appOrigins: readonly string[],
  options: CspOptions | (() => CspOptions),
): void {
  // A getter: trusting a server rebuilds the policy, and the reload that follows must get the new one.
  const policyNow = () => buildCsp(typeof options === 'function' ? options() : options);
  session.webRequest.onHeadersReceived((details, callback) => {
    const isAppDocument =
      (details.resourceType === 'mainFrame' || details.resourceType === 'subFrame') &&
      isAppUrl(details.url, appOrigins);
    if (!isAppDocument) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policyNow()] } });
  });
}
