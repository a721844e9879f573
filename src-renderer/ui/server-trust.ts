import type { CrmApi } from '../../src-shared/ipc/crm-api';
import { SignInInputError } from '../sync/auth-client';

export type TrustOutcome = 'not-desktop' | 'allowed' | 'reloading';

/**
 * Before signing in to `serverUrl` in the desktop app: the window's CSP lists the sync servers it
 * may reach, so a server set up after the app was built must be trusted first. Main names it in a
 * native dialog (crm:session.trustServer); on a yes it reloads the window with the new policy
 * ('reloading': the caller stops, the page is about to go), on a no sign-in stops with the server
 * address marked. The browser build has no main process and nothing to ask.
 */
export async function ensureServerTrusted(
  serverUrl: string,
  session: CrmApi['session'] | undefined = typeof window === 'undefined' ? undefined : window.crm?.session,
): Promise<TrustOutcome> {
  if (!session) return 'not-desktop';
  let origin: string;
  try {
    const url = new URL(serverUrl.trim());
    // Anything else is the auth client's to refuse, with its own message.
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'allowed';
    origin = url.origin;
  } catch {
    return 'allowed';
  }
  const { trusted, reloading } = await session.trustServer(origin);
  if (!trusted)
    throw new SignInInputError(
      'serverUrl',
      `${origin} is not trusted on this computer, so FieldCRM cannot connect to it`,
    );
  return reloading ? 'reloading' : 'allowed';
}
