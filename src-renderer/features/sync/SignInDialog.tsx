import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { SessionUser } from '../../../src-shared/ipc/contract';
import { appSession } from '../../app/app-session';
import { DEFAULT_SERVER_URL } from '../../sync/server-url';
import { Dialog } from '../../ui/Dialog';
import { ensureServerTrusted } from '../../ui/server-trust';
import { type SignInField, signInProblem } from './sign-in';

/** The last sign-in's server and email (never the password), offered again after a sign-out. */
const LAST_SIGN_IN_KEY = 'fieldcrm.lastSignIn';

function lastSignIn(): { serverUrl?: string; email?: string } {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(LAST_SIGN_IN_KEY) ?? '{}');
    if (typeof saved !== 'object' || saved === null) return {};
    const { serverUrl, email } = saved as Record<string, unknown>;
    return {
      ...(typeof serverUrl === 'string' ? { serverUrl } : {}),
      ...(typeof email === 'string' ? { email } : {}),
    };
  } catch {
    return {};
  }
}

interface SignInDialogProps {
  open: boolean;
  onClose: () => void;
  /** Prefilled when the server asked for a new sign-in. */
  serverUrl?: string;
  email?: string;
  title?: string;
  /** After a successful sign-in (the caller reloads into the user's database, or not). */
  onSignedIn: (user: SessionUser) => void;
}

/** Server address, email and password; the auth client's errors shown on the field they concern. */
export function SignInDialog({ open, onClose, serverUrl, email, title, onSignedIn }: SignInDialogProps) {
  const [form, setForm] = useState(() => {
    const last = lastSignIn();
    return {
      serverUrl: serverUrl ?? last.serverUrl ?? DEFAULT_SERVER_URL,
      email: email ?? last.email ?? '',
      password: '',
    };
  });
  const signIn = useMutation({
    mutationKey: ['session', 'sign-in'],
    mutationFn: async (input: typeof form) => {
      // The desktop window's CSP names the servers it may reach: a new one is trusted first (main asks).
      if ((await ensureServerTrusted(input.serverUrl)) === 'reloading') {
        localStorage.setItem(LAST_SIGN_IN_KEY, JSON.stringify({ serverUrl: input.serverUrl, email: input.email }));
        // The window reloads with the new policy; the dialog opens again with the address and email kept.
        return new Promise<never>(() => undefined);
      }
      return appSession().signIn(input.serverUrl, input.email, input.password);
    },
    onSuccess: (user) => {
      const current = appSession().state();
      const server = current.status === 'signed-out' ? form.serverUrl : current.serverUrl;
      localStorage.setItem(LAST_SIGN_IN_KEY, JSON.stringify({ serverUrl: server, email: user.email }));
      onSignedIn(user);
    },
  });
  const problem = signIn.error ? signInProblem(signIn.error, form.serverUrl.trim()) : undefined;
  const invalid = (field: SignInField) => (problem?.field === field ? true : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!signIn.isPending) signIn.mutate(form);
  };
  const field = (name: SignInField, label: string, type: string, autoComplete: string) => (
    <div className="form-row wide">
      <label htmlFor={`sign-in-${name}`}>{label}</label>
      <input
        id={`sign-in-${name}`}
        name={name}
        type={type}
        autoComplete={autoComplete}
        value={form[name]}
        aria-invalid={invalid(name)}
        aria-describedby={invalid(name) ? 'sign-in-problem' : undefined}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
        required
      />
    </div>
  );
  return (
    <Dialog title={title ?? 'Sign in'} open={open} onClose={onClose}>
      <form className="sign-in-form" onSubmit={submit} noValidate>
        <p className="muted">
          Sign in to your organisation's FieldCRM server. Your records are kept on this device and sync when you are
          online.
        </p>
        <div className="form-grid">
          {field('serverUrl', 'Server address', 'url', 'url')}
          {field('email', 'Email', 'email', 'username')}
          {field('password', 'Password', 'password', 'current-password')}
        </div>
        {problem && (
          <p className="form-error sign-in-problem" id="sign-in-problem" role="alert">
            {problem.message}
          </p>
        )}
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
