import type { SessionUser } from '../../src-shared/ipc/contract';
import { unlockWithPassword } from '../db/database-key';
import { deviceId } from '../db/device-id';
import { createSession, type Session, type SessionState } from '../sync/session';
import { defaultTokenStore } from '../sync/token-store';
import { useObservable } from '../ui/useObservable';

let session: Session | undefined;

/** The page's one session, over the desktop store or, in a plain browser, the localStorage fallback. */
export function appSession(): Session {
  session ??= createSession({ store: defaultTokenStore(), onPassword: unlockWithPassword, deviceId: () => deviceId() });
  return session;
}

/** Who the session is for, also while the server wants a new sign-in: local work goes on as them. */
export function sessionUser(state: SessionState): SessionUser | undefined {
  return state.status === 'signed-out' ? undefined : state.user;
}

/** The session's state for components (signed in, signed out, or needing a new sign-in). */
export function useSessionState(): SessionState {
  const current = appSession();
  return useObservable(() => current.state$, current.state(), [current]);
}
