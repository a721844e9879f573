import { trustableServerOrigin } from './server-origins';

/** What the renderer learns: whether connect-src now allows the origin, and whether the window reloads for it. */
export interface TrustResult {
  readonly trusted: boolean;
  readonly reloading: boolean;
}

export interface ServerTrustDeps {
  /** Whether the CSP's connect-src already allows the origin (environment, last session, trusted before). */
  isAllowed(origin: string): Promise<boolean>;
  /** The native confirmation; true only when the user chose to trust the origin. */
  confirm(origin: string): Promise<boolean>;
  /** Keeps the origin for later launches. */
  remember(origin: string): Promise<void>;
  /** Rebuilds the CSP with the origin and reloads the window (after the answer has gone back). */
  apply(): Promise<void>;
}

/**
 * The "trust this server" flow behind `crm:session.trustServer`, free of Electron: a server the
 * CSP already allows needs nothing; any other is named to the user in a native dialog, and only a
 * yes stores it, rebuilds the policy and reloads. The argument was validated at the IPC edge; it is
 * checked again here so no other caller can skip that.
 */
export function createServerTrust(deps: ServerTrustDeps): (raw: string) => Promise<TrustResult> {
  return async (raw) => {
    const origin = trustableServerOrigin(raw);
    if (!origin) throw new Error(`"${raw}" is not an http(s) origin`);
    if (await deps.isAllowed(origin)) return { trusted: true, reloading: false };
    if (!(await deps.confirm(origin))) return { trusted: false, reloading: false };
    await deps.remember(origin);
    await deps.apply();
    return { trusted: true, reloading: true };
  };
}

/** The dialog's options (Electron's MessageBoxOptions shape): the origin named in full, Cancel the default. */
export function trustDialogOptions(origin: string) {
  return {
    type: 'warning' as const,
    title: 'Trust this server?',
    message: `Connect FieldCRM to ${origin}?`,
    detail:
      'FieldCRM will send your email, password and your organisation’s records to this server. ' +
      'Trust it only if your organisation gave you this address.',
    buttons: ['Cancel', 'Trust this server'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}
