import { decodeJwt } from 'jose';
import { BehaviorSubject, type Observable, Subject } from 'rxjs';
import type { SessionUser, StoredSession } from '../../src-shared/ipc/contract';
import {
  type AuthClient,
  AuthRefusedError,
  checkSignInInput,
  createAuthClient,
  isDeviceRevoked,
  type ServerSession,
} from './auth-client';
import type { TokenStore } from './token-store';

/**
 * The device's sign-in (DESIGN.md: "Offline, the app keeps working under the last session; the
 * token is refreshed on reconnect"). The access token is kept in memory and in the store; the
 * refresh token only in the store, read from there for each refresh.
 *
 * Refresh is single-flight: the server rotates refresh tokens and treats a second use of one as
 * theft, ending the sign-in everywhere. Eleven collections replicating at once all see their token
 * expire together, so however many requests ask, one /auth/refresh runs and every one of them gets
 * its result.
 */

export type SessionState =
  | { readonly status: 'signed-out' }
  | { readonly status: 'signed-in'; readonly serverUrl: string; readonly user: SessionUser }
  /** The server refused the refresh token: the user and local data stay, replication waits for a sign-in. */
  | {
      readonly status: 'needs-sign-in';
      readonly serverUrl: string;
      readonly user: SessionUser;
      readonly reason: string;
    };

/** No usable session: never signed in, signed out, or the server ended the sign-in. */
export class SignInRequiredError extends Error {
  override readonly name = 'SignInRequiredError';
}

/** The session as requests use it; the refresh token is deliberately not part of it. */
export interface CurrentSession {
  readonly serverUrl: string;
  readonly user: SessionUser;
  readonly accessToken: string;
  /** By this device's clock. */
  readonly accessTokenExpiresAt: Date;
}

export interface Session {
  readonly state$: Observable<SessionState>;
  state(): SessionState;
  current(): CurrentSession | null;
  /** Reads the stored session; no network. Call once at start-up. */
  restore(): Promise<SessionState>;
  /** Throws SignInInputError (nothing sent), AuthRefusedError (the server's message) or AuthUnavailableError. */
  signIn(serverUrl: string, email: string, password: string): Promise<SessionUser>;
  /** Ends the sign-in here at once and on the server when it can be reached; local data stays. */
  signOut(): Promise<void>;
  /** A token to send: the current one, or a new one first if it is known to have expired. */
  accessToken(): Promise<string>;
  /** A token other than `rejected` (which the server refused), refreshing once for all callers if needed. */
  refreshAfter(rejected: string): Promise<string>;
  /** This device's id, sent with every authenticated request (the server tracks and can revoke devices). */
  deviceId?(): string;
  /** The server refused this device as revoked: emits the server's words once per report. */
  readonly revoked$?: Observable<string>;
  /** Called by authorizedFetch when the server answers that this device was revoked. */
  reportRevoked?(reason: string): void;
}

export interface SessionOptions {
  store: TokenStore;
  client?: AuthClient;
  /** This device's clock, in ms. */
  now?: () => number;
  /**
   * Runs a refresh exclusively among the app's tabs, which share the browser store (Web Locks by
   * default, where there are any): two tabs refreshing with one token would end the sign-in too.
   */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
  /**
   * Runs after the server accepted the password and before the session is stored: the browser
   * derives the local database's key from the password here (database-key.ts), the only moment
   * it is known. A failure fails the sign-in.
   */
  onPassword?: (signedIn: { serverUrl: string; userId: string; password: string }) => Promise<void>;
  /** This device's id (device-id.ts); requests name no device without it. */
  deviceId?: () => string;
}

/** Refresh this long before expiry, so that a request does not arrive with a token that expired on the way. */
const EXPIRY_MARGIN_MS = 30_000;
const ENDED_BEFORE = 'the server ended this sign-in: sign in again';

function webLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? locks.request('fieldcrm.session.refresh', work) : work();
}

function sameUser(a: SessionUser, b: SessionUser): boolean {
  return (
    a.id === b.id &&
    a.email === b.email &&
    a.firstName === b.firstName &&
    a.lastName === b.lastName &&
    a.roleId === b.roleId
  );
}

interface Live {
  serverUrl: string;
  user: SessionUser;
  accessToken: string;
  accessExpiresAt: number;
}

export function createSession(options: SessionOptions): Session {
  const { store } = options;
  const client = options.client ?? createAuthClient();
  const now = options.now ?? Date.now;
  const exclusive = options.exclusive ?? webLock;
  const state$ = new BehaviorSubject<SessionState>({ status: 'signed-out' });
  const revoked$ = new Subject<string>();
  let live: Live | null = null;
  let refreshing: Promise<string> | undefined;
  // Bumped by sign-in and sign-out, so that a refresh finishing afterwards does not bring back
  // the session they replaced.
  let generation = 0;

  /**
   * The stored form of a session the server answered. The access token's expiry is its lifetime
   * (exp − iat) from now by this device's clock: a device whose clock is off would otherwise
   * think every new token expired and refresh on every request.
   */
  function stored(serverUrl: string, answer: ServerSession): StoredSession {
    let lifetimeMs: number;
    try {
      const { exp, iat } = decodeJwt(answer.accessToken);
      lifetimeMs = exp !== undefined && iat !== undefined ? (exp - iat) * 1000 : Number.NaN;
    } catch {
      lifetimeMs = Number.NaN;
    }
    const expiresAt = Number.isFinite(lifetimeMs) ? now() + lifetimeMs : Date.parse(answer.accessTokenExpiresAt);
    return {
      serverUrl,
      user: answer.user,
      tokens: {
        accessToken: answer.accessToken,
        accessTokenExpiresAt: new Date(expiresAt).toISOString(),
        refreshToken: answer.refreshToken,
      },
    };
  }

  function adopt(session: StoredSession): string {
    const tokens = session.tokens;
    if (!tokens) throw new Error('adopt needs a session with tokens');
    live = {
      serverUrl: session.serverUrl,
      user: session.user,
      accessToken: tokens.accessToken,
      accessExpiresAt: Date.parse(tokens.accessTokenExpiresAt),
    };
    const current = state$.value;
    if (current.status !== 'signed-in' || current.serverUrl !== live.serverUrl || !sameUser(current.user, live.user)) {
      state$.next({ status: 'signed-in', serverUrl: live.serverUrl, user: live.user });
    }
    return tokens.accessToken;
  }

  function needsSignIn(session: { serverUrl: string; user: SessionUser }, reason: string): SignInRequiredError {
    live = null;
    state$.next({ status: 'needs-sign-in', serverUrl: session.serverUrl, user: session.user, reason });
    return new SignInRequiredError(reason);
  }

  function requireLive(): Live {
    if (live) return live;
    const current = state$.value;
    throw new SignInRequiredError(current.status === 'needs-sign-in' ? current.reason : 'not signed in');
  }

  const fresh = (expiresAt: number) => now() < expiresAt - EXPIRY_MARGIN_MS;

  async function refresh(rejected: string, started: number): Promise<string> {
    const saved = await store.load();
    if (generation !== started) throw new SignInRequiredError('signed out or in again meanwhile');
    if (!saved) {
      live = null;
      state$.next({ status: 'signed-out' });
      throw new SignInRequiredError('not signed in');
    }
    if (!saved.tokens) throw needsSignIn(saved, ENDED_BEFORE);
    // Another tab refreshed while this one waited for the lock: its token is as good as a new one.
    if (saved.tokens.accessToken !== rejected && fresh(Date.parse(saved.tokens.accessTokenExpiresAt))) {
      return adopt(saved);
    }
    let answer: ServerSession;
    try {
      answer = await client.refresh(saved.serverUrl, saved.tokens.refreshToken, options.deviceId?.());
    } catch (error) {
      // Anything but a refusal (offline, a 5xx) leaves the session as it is: work goes on locally
      // and the next request tries again.
      if (!(error instanceof AuthRefusedError) || generation !== started) throw error;
      await store.save({ ...saved, tokens: null });
      if (isDeviceRevoked(error)) revoked$.next(error.message);
      throw needsSignIn(saved, error.message);
    }
    if (generation !== started) {
      void client.logout(saved.serverUrl, answer.refreshToken).catch(() => undefined);
      throw new SignInRequiredError('signed out or in again meanwhile');
    }
    const next = stored(saved.serverUrl, answer);
    await store.save(next);
    return adopt(next);
  }

  function refreshAfter(rejected: string): Promise<string> {
    if (refreshing) return refreshing;
    const current = requireLive();
    // Refreshed already by another caller since `rejected` was sent.
    if (current.accessToken !== rejected && fresh(current.accessExpiresAt)) return Promise.resolve(current.accessToken);
    const started = generation;
    const run = exclusive(() => refresh(rejected, started)).finally(() => {
      refreshing = undefined;
    });
    refreshing = run;
    return run;
  }

  async function accessToken(): Promise<string> {
    if (refreshing) await refreshing.catch(() => undefined);
    const current = requireLive();
    return fresh(current.accessExpiresAt) ? current.accessToken : refreshAfter(current.accessToken);
  }

  return {
    state$: state$.asObservable(),
    state: () => state$.value,

    current() {
      return live
        ? {
            serverUrl: live.serverUrl,
            user: live.user,
            accessToken: live.accessToken,
            accessTokenExpiresAt: new Date(live.accessExpiresAt),
          }
        : null;
    },

    async restore() {
      const saved = await store.load();
      if (!saved) {
        live = null;
        state$.next({ status: 'signed-out' });
      } else if (!saved.tokens) {
        needsSignIn(saved, ENDED_BEFORE);
      } else {
        adopt(saved);
      }
      return state$.value;
    },

    async signIn(serverUrl, email, password) {
      const input = checkSignInInput({ serverUrl, email, password });
      const answer = await client
        .login(input.serverUrl, input.email, input.password, options.deviceId?.())
        .catch((error: unknown) => {
          // A device revoked earlier (its wipe was cut short): wiping it again gives it a new id.
          if (error instanceof AuthRefusedError && isDeviceRevoked(error)) revoked$.next(error.message);
          throw error;
        });
      await options.onPassword?.({ serverUrl: input.serverUrl, userId: answer.user.id, password: input.password });
      generation += 1;
      const next = stored(input.serverUrl, answer);
      await store.save(next);
      adopt(next);
      return next.user;
    },

    async signOut() {
      generation += 1;
      const saved = await store.load();
      live = null;
      await store.clear();
      state$.next({ status: 'signed-out' });
      if (saved?.tokens) {
        // Offline, the server's copy simply expires (30 days); this device no longer holds it.
        await client.logout(saved.serverUrl, saved.tokens.refreshToken).catch(() => undefined);
      }
    },

    accessToken,
    refreshAfter,
    ...(options.deviceId ? { deviceId: options.deviceId } : {}),
    revoked$: revoked$.asObservable(),
    reportRevoked: (reason) => revoked$.next(reason),
  };
}
