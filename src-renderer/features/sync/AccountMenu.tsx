import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { appSession, useSessionState } from '../../app/app-session';
import { useCrm } from '../../app/crm-context';
import { userDatabaseName } from '../../db/database-key';
import { PushIncompleteError, pendingByCollection, pushAndSignOut } from '../../sync/session-sign-out';
import { wipeLocalData } from '../../sync/session-wipe';
import { toast } from '../../ui/toasts';
import { useRecordName } from '../../ui/useRecordName';
import { SignInDialog } from './SignInDialog';
import { SignOutDialog } from './SignOutDialog';
import './sync.css';
import { useMenu } from './useMenu';
import { useSyncStatus } from './useSyncStatus';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
}

/** Who is signed in; sign in, sign in again, sign out. Demo mode offers the sign-in. */
export function AccountMenu() {
  const { mode } = useCrm();
  const [signingIn, setSigningIn] = useState(false);
  if (mode === 'demo') {
    return (
      <>
        <button type="button" className="primary account-sign-in" onClick={() => setSigningIn(true)}>
          Sign in
        </button>
        <SignInDialog
          open={signingIn}
          onClose={() => setSigningIn(false)}
          // The user's own database opens on reload; the demo database stays apart.
          onSignedIn={() => location.reload()}
        />
      </>
    );
  }
  return <SignedInMenu />;
}

function SignedInMenu() {
  const { user, db, sync } = useCrm();
  const session = useSessionState();
  const { pending, replication, outbox, phase } = useSyncStatus();
  const role = useRecordName('userRole', user.roleId);
  const { open, setOpen, menu, button } = useMenu();
  const [dialog, setDialog] = useState<'sign-in-again' | 'sign-out' | undefined>();
  const needsSignIn = session.status === 'needs-sign-in';
  // While sync is paused nothing says what the server has: unsent changes cannot be counted.
  const unsent = replication === undefined ? undefined : pending;
  const target = { db, databaseName: userDatabaseName(user.id), session: appSession(), sync };
  // Signing out removes the device's copy (session-sign-out.ts); the page then opens the demo.
  const signOut = useMutation({
    mutationKey: ['session', 'sign-out'],
    mutationFn: (how: 'push' | 'discard') =>
      how === 'push'
        ? pushAndSignOut({ ...target, replication, offline: phase === 'offline' || phase === 'forced-offline' })
        : wipeLocalData(target),
    onSuccess: () => location.reload(),
    onError: (error) => {
      if (!(error instanceof PushIncompleteError))
        toast({ tone: 'error', message: `Sign-out failed: ${String(error)}` });
    },
  });
  const choose = (next: 'sign-in-again' | 'sign-out') => {
    setOpen(false);
    signOut.reset();
    setDialog(next);
  };
  const server = session.status === 'signed-out' ? '' : new URL(session.serverUrl).host;

  return (
    <div className="account">
      <button
        ref={button}
        type="button"
        className="account-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(user.name)}
        </span>
        <span className="account-name">{user.name}</span>
        {needsSignIn && <span className="badge badge-urgent">Sign in again</span>}
      </button>
      {open && (
        <div className="account-menu" role="menu" aria-label="Account" ref={menu}>
          <div className="account-who">
            <strong>{user.name}</strong>
            {user.email && <span className="muted">{user.email}</span>}
            <span className="muted">
              {role || 'Role'} · {server}
            </span>
            {needsSignIn && <span className="form-error">The server ended this sign-in: {session.reason}</span>}
          </div>
          {needsSignIn && (
            <button type="button" role="menuitem" className="primary" onClick={() => choose('sign-in-again')}>
              Sign in again
            </button>
          )}
          <button type="button" role="menuitem" onClick={() => choose('sign-out')} disabled={signOut.isPending}>
            Sign out…
          </button>
        </div>
      )}
      {needsSignIn && (
        <SignInDialog
          open={dialog === 'sign-in-again'}
          title="Sign in again"
          serverUrl={session.serverUrl}
          email={session.user.email}
          onClose={() => setDialog(undefined)}
          onSignedIn={(signedIn) => {
            setDialog(undefined);
            // The same user resumes syncing at once; another user's records live in another database.
            if (signedIn.id !== user.id) location.reload();
            else toast({ tone: 'success', message: 'Signed in again: syncing resumes' });
          }}
        />
      )}
      <SignOutDialog
        open={dialog === 'sign-out'}
        pending={unsent === undefined ? undefined : pendingByCollection(outbox)}
        userName={user.name}
        busy={signOut.isPending ? signOut.variables : undefined}
        problem={signOut.error instanceof PushIncompleteError ? signOut.error.message : undefined}
        onCancel={() => setDialog(undefined)}
        onPushAndSignOut={() => signOut.mutate('push')}
        onDiscard={() => signOut.mutate('discard')}
      />
    </div>
  );
}
